"""Direct requests for a job that does not exist (audit, session seven)."""


def test_an_unknown_job_pdf_is_404_not_a_redirect(app, login, client, create_user):
    """Found by the audit: /hub/pekerjaan/999/label.pdf redirected to the job page (which then
    said 404) with a flash; an unknown job is simply not found, like its page."""
    login(create_user("hub"))
    assert client.get("/hub/pekerjaan/999").status_code == 404
    assert client.get("/hub/pekerjaan/999/label.pdf").status_code == 404
