from django.core.exceptions import ValidationError


def error_text(error: ValidationError) -> str:
    """A service's refusal as one line for a flash message or a row's note."""
    return " ".join(error.messages)
