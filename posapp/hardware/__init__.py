"""Counter hardware, Qt-free and store-free: ESC/POS receipt printers, the cash drawer, the print queue."""
