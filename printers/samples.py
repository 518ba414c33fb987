"""Fixed sample slips: the printer test page, the golden-byte tests and the benchmark use them."""

from __future__ import annotations

from datetime import datetime

from printers.slips import ReceiptSlip, TicketSlip

SAMPLE_TIME = datetime(2026, 11, 25, 9, 30, 12)


def sample_ticket(**changes: object) -> TicketSlip:
    """A green-channel ID-card ticket with a QR code."""
    fields: dict[str, object] = {
        "hall_name": "朝阳区公安分局出入境接待大厅",
        "number": "A023",
        "service_zh": "居民身份证办理",
        "service_en": "ID card",
        "issued_at": SAMPLE_TIME,
        "ahead": 5,
        "estimated_wait_min": 15,
        "green_reason": "elderly",
        "qr_url": "https://hall.example.gov.cn/t/1234",
        "footer": None,
    }
    fields.update(changes)
    return TicketSlip(**fields)  # type: ignore[arg-type]


def sample_receipt(**changes: object) -> ReceiptSlip:
    """A receipt for a passport application with incomplete materials."""
    fields: dict[str, object] = {
        "hall_name": "朝阳区公安分局出入境接待大厅",
        "number": "B107",
        "service_zh": "普通护照申请",
        "service_en": "Passport application",
        "counter": 5,
        "staff_no": "0123",
        "waited_min": 12,
        "handling_min": 8,
        "outcome": "incomplete",
        "finished_at": datetime(2026, 11, 25, 10, 2, 40),
        "materials": ("户口簿原件及复印件", "近期免冠证件照（白底）", "原护照"),
        "feedback_url": "https://hall.example.gov.cn/f/1234",
        "next_step": None,
    }
    fields.update(changes)
    return ReceiptSlip(**fields)  # type: ignore[arg-type]


def test_page(printer_name: str, now: datetime | None = None) -> TicketSlip:
    """What ``qconsole printers test`` prints: a ticket that says it is a test."""
    return sample_ticket(
        hall_name=f"打印测试 Printer test: {printer_name}",
        number="T000",
        service_zh="测试页 中文显示正常",
        service_en="Test page",
        issued_at=now or datetime.now().replace(microsecond=0),
        green_reason=None,
        ahead=0,
        estimated_wait_min=0,
        qr_url="https://hall.example.gov.cn/t/test",
        footer="如能看清本页，打印机设置正确\nIf you can read this, the printer is set up",
    )
