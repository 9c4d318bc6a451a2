"""PDF invoices with reportlab, Qt-free: themes, Persian text pipeline, QR codes."""
