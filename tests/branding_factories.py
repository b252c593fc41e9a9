"""Logo images built in memory and a branding saved through the service."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (120, 40), colour="#aa1122") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt)
    return buffer.getvalue()


def png_bytes(**kwargs) -> bytes:
    return image_bytes("PNG", **kwargs)


def jpeg_bytes(**kwargs) -> bytes:
    return image_bytes("JPEG", **kwargs)


def upload(data: bytes, name: str = "logo.png", content_type: str = "image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def branding_make(consultancy, *, logo: bool = True, **fields):
    from cxaudit.accounts.services import branding_save

    values = {
        "display_name": "",
        "contact_line": "",
        "primary_colour": "#1f4e79",
        "accent_colour": "#cfe0f1",
        **fields,
    }
    return branding_save(
        consultancy=consultancy, logo=upload(png_bytes()) if logo else None, **values
    )
