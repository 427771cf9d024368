"""Printed forms: pure functions from domain values to PDF bytes (the only reportlab user)."""

from desk_app.printing.fee_receipt import render_fee_receipt
from desk_app.printing.qr import fee_receipt_qr_payload, receipt_qr_payload
from desk_app.printing.receipt import render_receipt
from desk_app.printing.words import amount_in_words

__all__ = [
    "amount_in_words",
    "fee_receipt_qr_payload",
    "receipt_qr_payload",
    "render_fee_receipt",
    "render_receipt",
]
