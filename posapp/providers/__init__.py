"""Remote provider clients (Pod, Hesabfa, Hesabit, Sepidar, PayPing) over one httpx layer."""
