"""gunicorn settings, read from the working directory (``make run`` / ``make scaled`` start there).

The request-size limits, and a warm-up hook per worker (``post_worker_init`` below). gunicorn answers a request it refuses itself with its own bare English
page, before the app can word anything, so its limits sit *above* the app's (MAX_URL_CHARS 8192,
MAX_HEADER_BYTES 16384 in studio/config.py): everything in between gets the studio's own 414/431
page in Indonesian, JSON under /api/. What still never reaches the app: a request line above 1 MiB,
one header line above 32 KiB, more than 100 headers, a header holding a NUL or another byte HTTP
forbids, and malformed HTTP; gunicorn answers those with "400 Bad Request" (issue 21).
"""
# Request line: gunicorn takes 0 or at most 8190. 0 means "no line limit" but gunicorn 27 still
# stops reading at 1 MiB; it lets a 10,000-character address reach the app, which answers 414.
limit_request_line = 0
# One header line, and the number of headers: above the app's own limit (16 KiB in total).
limit_request_field_size = 32768
limit_request_fields = 100



def post_worker_init(worker):
    """Each worker warms itself (templates, label engine, fonts, one label composed and rasterised:
    studio/warm.py) beside its first requests, so the first editor open on a fresh worker is not slow;
    in the embedded mode it also starts the photo-cleanup process now (its model loads before anyone
    uploads). Then what the process loaded is frozen out of the garbage collector's full walks
    (studio.warm.freeze_heap: those stalled every page of the worker for 91-134 ms under load). On a thread: the
    worker answers at once, nothing waits for the warm-up."""
    app = getattr(worker, "wsgi", None)
    if app is None or not hasattr(app, "jinja_env"):
        return
    import threading

    def warm():
        from studio.warm import freeze_heap, warm_process

        start_jobs = app.extensions.get("studio.start_jobs")
        if start_jobs is not None:
            start_jobs()
        seconds = warm_process(app)
        seconds["freeze_heap"] = freeze_heap()
        worker.log.info("warmed in %.1f s %s", sum(seconds.values()), seconds)

    threading.Thread(target=warm, name="studio-warm-up", daemon=True).start()
