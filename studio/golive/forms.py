from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """A one-click POST with its CSRF token (the button is the whole form)."""
