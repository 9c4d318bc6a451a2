<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US" sourcelanguage="fa_IR">
<context>
    <name>Actions</name>
    <message>
        <location filename="../../posapp/ui/actions.py" line="29" />
        <source>فاکتور</source>
        <translation>Invoice</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="30" />
        <source>فهرست‌ها</source>
        <translation>Lists</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="31" />
        <source>شیفت</source>
        <translation>Shift</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="32" />
        <source>ابزار</source>
        <translation>Tools</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="33" />
        <source>راهنما</source>
        <translation>Help</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="37" />
        <source>فاکتور جدید</source>
        <translation>New invoice</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="38" />
        <source>رفتن به کد کالا</source>
        <translation>Go to product code</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="39" />
        <source>جستجوی کالا</source>
        <translation>Find product</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="40" />
        <source>انتخاب مشتری</source>
        <translation>Choose customer</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="41" />
        <source>مشتری گذری</source>
        <translation>Walk-in customer</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="42" />
        <source>ویرایش تعداد ردیف</source>
        <translation>Edit line quantity</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="43" />
        <source>ویرایش قیمت ردیف</source>
        <translation>Edit line price</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="44" />
        <source>تخفیف ردیف</source>
        <translation>Line discount</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="45" />
        <source>تخفیف فاکتور</source>
        <translation>Invoice discount</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="46" />
        <source>حذف ردیف</source>
        <translation>Delete line</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="47" />
        <source>نگه‌داشتن فاکتور</source>
        <translation>Hold sale</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="48" />
        <source>فاکتورهای نگه‌داشته</source>
        <translation>Held sales</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="49" />
        <source>پرداخت و صدور</source>
        <translation>Pay and issue</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="50" />
        <source>صدور با پرداخت نقدی کامل</source>
        <translation>Issue, paid in exact cash</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="52" />
        <source>برگشت از فروش</source>
        <translation>Sales return</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="53" />
        <source>ابطال فاکتور</source>
        <translation>Cancel invoice</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="54" />
        <source>چاپ دوباره آخرین فاکتور</source>
        <translation>Reprint last invoice</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="55" />
        <source>مشتریان</source>
        <translation>Customers</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="56" />
        <source>کالاها</source>
        <translation>Products</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="57" />
        <source>سابقه فاکتورها</source>
        <translation>Invoice history</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="58" />
        <source>مشتری جدید</source>
        <translation>New customer</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="59" />
        <source>کالای جدید</source>
        <translation>New product</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="60" />
        <source>همگام‌سازی با سامانه‌ها</source>
        <translation>Sync with providers</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="61" />
        <source>گزارش‌ها</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="62" />
        <source>بازخوانی فهرست‌ها</source>
        <translation>Refresh lists</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="63" />
        <source>قفل صندوق / تعویض صندوقدار</source>
        <translation>Lock the till / switch cashier</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="64" />
        <source>باز کردن شیفت</source>
        <translation>Open shift</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="65" />
        <source>ورود و خروج وجه نقد</source>
        <translation>Paid in / paid out</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="66" />
        <source>گزارش X</source>
        <translation>X report</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="67" />
        <source>بستن شیفت و گزارش Z</source>
        <translation>Close shift and Z report</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="68" />
        <source>آخرین گزارش Z</source>
        <translation>Last Z report</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="69" />
        <source>گزارش روز</source>
        <translation>Day report</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="70" />
        <source>کاربران و نقش‌ها</source>
        <translation>Users and roles</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="71" />
        <source>ورود کالا از فایل</source>
        <translation>Import products from file</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="72" />
        <source>خروجی کالاها</source>
        <translation>Export products</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="73" />
        <source>پشتیبان‌گیری</source>
        <translation>Back up</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="74" />
        <source>افزودن داده نمایشی</source>
        <translation>Add demo data</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="75" />
        <source>تنظیمات</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="76" />
        <source>تنظیمات سامانه‌ها</source>
        <translation>Provider settings</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="78" />
        <source>باز کردن کشوی پول</source>
        <translation>Open cash drawer</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="79" />
        <source>صف چاپ</source>
        <translation>Print queue</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="80" />
        <source>خروج</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/actions.py" line="81" />
        <source>راهنمای کلیدها</source>
        <translation>Keyboard shortcuts</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../posapp/app.py" line="174" />
        <source>posapp باز نشد</source>
        <translation>posapp could not start</translation>
    </message>
    <message>
        <location filename="../../posapp/app.py" line="175" />
        <source>پایگاه داده «%1» باز نشد:</source>
        <translation>The database “%1” could not be opened:</translation>
    </message>
</context>
<context>
    <name>ApprovalDialog</name>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="186" />
        <source>تأیید مدیر</source>
        <translation>Manager's approval</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="194" />
        <source>«%1» اجازه «%2» را ندارد. مدیر رمز خود را وارد کند.</source>
        <translation>%1 may not %2. A manager types their PIN to approve.</translation>
    </message>
</context>
<context>
    <name>CancelInvoiceDialog</name>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="357" />
        <source>ابطال فاکتور %1</source>
        <translation>Cancel invoice %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="362" />
        <source>مبلغ: %1 — خریدار: %2</source>
        <translation>Amount: %1 — buyer: %2</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="364" />
        <source>گذری</source>
        <translation>Walk-in</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="367" />
        <source>دلیل ابطال (الزامی)</source>
        <translation>Reason for cancelling (required)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="375" />
        <source>ابطال فاکتور</source>
        <translation>Cancel invoice</translation>
    </message>
</context>
<context>
    <name>CashMoveDialog</name>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="344" />
        <source>ورود و خروج وجه نقد</source>
        <translation>Paid in / paid out</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="345" />
        <source>ورود وجه</source>
        <translation>Paid in</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="346" />
        <source>خروج وجه</source>
        <translation>Paid out</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="355" />
        <source>دلیل</source>
        <translation>Reason</translation>
    </message>
</context>
<context>
    <name>CloseShiftDialog</name>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="282" />
        <source>بستن شیفت و شمارش صندوق</source>
        <translation>Close the shift and count the drawer</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="286" />
        <source>اسکناس</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="286" />
        <source>تعداد</source>
        <translation>Count</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="286" />
        <source>جمع</source>
        <translation>Subtotal</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="302" />
        <source>یا مبلغ شمرده‌شده را بنویسید</source>
        <translation>or type the counted amount</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="306" />
        <source>نقد کشو را به تفکیک اسکناس بشمارید:</source>
        <translation>Count the cash in the drawer note by note:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="323" />
        <source>جمع شمرده‌شده: %1</source>
        <translation>Counted: %1</translation>
    </message>
</context>
<context>
    <name>CounterHardware</name>
    <message>
        <location filename="../../posapp/ui/counter.py" line="57" />
        <source>رسید فاکتور %1</source>
        <translation>Receipt of invoice %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="60" />
        <source>باز کردن کشو</source>
        <translation>Drawer opening</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="61" />
        <source>صفحهٔ تنظیم چاپگر</source>
        <translation>Printer calibration page</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="158" />
        <source>باز کردن کشوی پول</source>
        <translation>Open cash drawer</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="159" />
        <source>دلیل باز کردن کشو:</source>
        <translation>Why is the drawer opened:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="165" />
        <source>کشوی پول</source>
        <translation>Cash drawer</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="177" />
        <source>%1 چاپ نشد: %2 — فاکتور ذخیره شده است؛ «صف چاپ» (Ctrl+Shift+J) آن را دوباره می‌فرستد.</source>
        <translation>%1 was not printed: %2 — the invoice is saved; the print queue (Ctrl+Shift+J) sends it again.</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="180" />
        <source>%1 چاپ شد</source>
        <translation>%1 printed</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="201" />
        <source>صفحهٔ نمایش مشتری (شمارهٔ %1) وصل نیست</source>
        <translation>The customer display screen (number %1) is not connected</translation>
    </message>
</context>
<context>
    <name>CustomerDialog</name>
    <message>
        <location filename="../../posapp/ui/customers.py" line="55" />
        <source>ویرایش مشتری</source>
        <translation>Edit customer</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="55" />
        <source>مشتری جدید</source>
        <translation>New customer</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="61" />
        <source>حقیقی (شخص)</source>
        <translation>Natural person</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="62" />
        <source>حقوقی (شرکت)</source>
        <translation>Legal entity (company)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="63" />
        <source>نوع:</source>
        <translation>Type:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="66" />
        <source>نام:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="67" />
        <source>کد ملی / شناسه ملی:</source>
        <translation>National ID / legal ID:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="68" />
        <source>تلفن همراه:</source>
        <translation>Mobile:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="69" />
        <source>تلفن:</source>
        <translation>Phone:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="70" />
        <source>کد اقتصادی:</source>
        <translation>Economic code:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="71" />
        <source>شماره ثبت:</source>
        <translation>Registration number:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="72" />
        <source>کد پستی:</source>
        <translation>Postal code:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="73" />
        <source>نشانی:</source>
        <translation>Address:</translation>
    </message>
</context>
<context>
    <name>CustomerDisplay</name>
    <message>
        <location filename="../../posapp/ui/customer_display.py" line="45" />
        <source>نمایشگر مشتری</source>
        <translation>Customer display</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customer_display.py" line="61" />
        <source>خوش آمدید</source>
        <translation>Welcome</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customer_display.py" line="76" />
        <source>کالا</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customer_display.py" line="76" />
        <source>مقدار</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customer_display.py" line="76" />
        <source>مبلغ</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customer_display.py" line="90" />
        <source>مبلغ قابل پرداخت</source>
        <translation>Amount to pay</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customer_display.py" line="105" />
        <source>برای پرداخت، این کد را با گوشی اسکن کنید</source>
        <translation>Scan this code with your phone to pay</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customer_display.py" line="161" />
        <source>تعداد ردیف: %1</source>
        <translation>Lines: %1</translation>
    </message>
</context>
<context>
    <name>CustomerPickerDialog</name>
    <message>
        <location filename="../../posapp/ui/customers.py" line="254" />
        <source>انتخاب مشتری</source>
        <translation>Choose customer</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="260" />
        <source>نام، تلفن همراه یا کد ملی</source>
        <translation>Name, mobile or national ID</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="266" />
        <source>مشتری جدید…</source>
        <translation>New customer…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="273" />
        <source>جستجوی مشتری:</source>
        <translation>Find customer:</translation>
    </message>
</context>
<context>
    <name>Customers</name>
    <message>
        <location filename="../../posapp/ui/customers.py" line="43" />
        <source>حقوقی</source>
        <translation>Legal</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="44" />
        <source>حقیقی</source>
        <translation>Person</translation>
    </message>
</context>
<context>
    <name>CustomersPane</name>
    <message>
        <location filename="../../posapp/ui/customers.py" line="140" />
        <source>جستجو: نام، تلفن همراه یا کد ملی</source>
        <translation>Search: name, mobile or national ID</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="148" />
        <source>نام</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="149" />
        <source>تلفن همراه</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="150" />
        <source>کد ملی</source>
        <translation>National ID</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="151" />
        <source>نوع</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="164" />
        <source>جدید</source>
        <translation>New</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="166" />
        <source>ویرایش</source>
        <translation>Edit</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="168" />
        <source>فروش به این مشتری</source>
        <translation>Sell to this customer</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="209" />
        <source>مانده حساب %1: %2</source>
        <translation>Balance of %1: %2</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/customers.py" line="223" />
        <source>مشتری «%1» ثبت شد</source>
        <translation>Customer “%1” saved</translation>
    </message>
</context>
<context>
    <name>Display</name>
    <message>
        <location filename="../../posapp/ui/display.py" line="37" />
        <source>ریال</source>
        <translation>Rial</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/display.py" line="38" />
        <source>تومان</source>
        <translation>Toman</translation>
    </message>
</context>
<context>
    <name>FirstOwnerDialog</name>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="451" />
        <source>مالک فروشگاه</source>
        <translation>Shop owner</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="455" />
        <source>برای ورود با رمز، نقش‌ها، شیفت و گزارش Z، نخست مالک فروشگاه را بسازید.</source>
        <translation>To use PIN sign-in, roles, shifts and Z reports, first create the shop owner.</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="459" />
        <source>نام</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="462" />
        <source>رمز ۴ تا ۸ رقمی</source>
        <translation>PIN of 4 to 8 digits</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="465" />
        <source>تکرار رمز</source>
        <translation>PIN again</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="470" />
        <source>ساختن</source>
        <translation>Create</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="471" />
        <source>بعداً</source>
        <translation>Later</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="480" />
        <source>دو رمز یکی نیستند</source>
        <translation>The two PINs differ</translation>
    </message>
</context>
<context>
    <name>HardwareForm</name>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="80" />
        <source>از عرض کاغذ (۳۸۴ یا ۵۷۶)</source>
        <translation>From the paper width (384 or 576)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="83" />
        <source>برش ناقص</source>
        <translation>Partial cut</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="83" />
        <source>برش کامل</source>
        <translation>Full cut</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="84" />
        <source>بدون برش</source>
        <translation>No cut</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="90" />
        <source> ثانیه</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="92" />
        <source>چاپ صفحهٔ تنظیم</source>
        <translation>Print calibration page</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="106" />
        <source>پایهٔ %1</source>
        <translation>Pin %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="110" />
        <source>کشو با فروش، برگشت یا دریافت نقدی باز شود</source>
        <translation>Open the drawer on a cash sale, return or payment</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="116" />
        <source>هر چیدمان: بازهٔ پیشوند / تعداد رقم کد کالا / weight (وزن به گرم) یا price (قیمت به ریال)</source>
        <translation>Each layout: prefix range / product code digits / weight (grams) or price (Rial)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="118" />
        <source>خاموش</source>
        <translation>Off</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="121" />
        <source>صفحهٔ %1: %2 (%3×%4)</source>
        <translation>Screen %1: %2 (%3×%4)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="127" />
        <source>صفحهٔ %1 (وصل نیست)</source>
        <translation>Screen %1 (not connected)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="131" />
        <source>نقطه‌های عرض چاپ ESC/POS:</source>
        <translation>ESC/POS dots across:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="132" />
        <source>برش کاغذ:</source>
        <translation>Paper cut:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="133" />
        <source>انتظار برای چاپگر:</source>
        <translation>Wait for the printer:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="135" />
        <source>کشوی پول:</source>
        <translation>Cash drawer:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="136" />
        <source>مدت پالس (روشن):</source>
        <translation>Pulse on time:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="137" />
        <source>مدت پالس (خاموش):</source>
        <translation>Pulse off time:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="139" />
        <source>برچسب‌های ترازو:</source>
        <translation>Scale labels:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="140" />
        <source>نمایشگر مشتری:</source>
        <translation>Customer display:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="151" />
        <source> میلی‌ثانیه</source>
        <translation> ms</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="206" />
        <source>در حال چاپ…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter_settings.py" line="212" />
        <source>صفحهٔ تنظیم چاپ شد؛ هر دو سر خط‌کش باید دیده شود</source>
        <translation>Calibration page printed; both ends of the ruler should show</translation>
    </message>
</context>
<context>
    <name>HeldInvoicesDialog</name>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="403" />
        <source>فاکتورهای نگه‌داشته</source>
        <translation>Held sales</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="410" />
        <source>%1 ردیف</source>
        <translation>%1 lines</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="418" />
        <source>فاکتور نگه‌داشته‌ای نیست</source>
        <translation>No held sales</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="423" />
        <source>ادامه این فاکتور</source>
        <translation>Resume this sale</translation>
    </message>
</context>
<context>
    <name>HelpOverlay</name>
    <message>
        <location filename="../../posapp/ui/help_overlay.py" line="26" />
        <source>کلیدهای میان‌بر</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/help_overlay.py" line="45" />
        <source>برای بستن هر کلیدی را بزنید</source>
        <translation>Press any key to close</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <location filename="../../posapp/ui/history.py" line="55" />
        <source>پیش‌نویس</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="56" />
        <source>صادرشده</source>
        <translation>Issued</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="57" />
        <source>بخشی پرداخت‌شده</source>
        <translation>Partly paid</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="58" />
        <source>پرداخت‌شده</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="59" />
        <source>ابطال‌شده</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="66" />
        <source>فروش</source>
        <translation>Sale</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="67" />
        <source>برگشت از فروش</source>
        <translation>Sales return</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="68" />
        <source>اصلاحی (کاهش)</source>
        <translation>Reduction</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="104" />
        <source>همه</source>
        <translation>All</translation>
    </message>
</context>
<context>
    <name>HistoryPane</name>
    <message>
        <location filename="../../posapp/ui/history.py" line="110" />
        <source>همه مشتریان</source>
        <translation>All customers</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="124" />
        <source>شماره فاکتور</source>
        <translation>Invoice number</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="132" />
        <source>پاک کردن فیلترها</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="137" />
        <source>از تاریخ:</source>
        <translation>From:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="137" />
        <source>تا تاریخ:</source>
        <translation>To:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="138" />
        <source>وضعیت:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="138" />
        <source>مشتری:</source>
        <translation>Customer:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="139" />
        <source>مبلغ از:</source>
        <translation>Amount from:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="139" />
        <source>مبلغ تا:</source>
        <translation>Amount to:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="140" />
        <source>شماره:</source>
        <translation>Number:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="152" />
        <source>شماره</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="153" />
        <source>تاریخ</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="154" />
        <source>نوع</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="156" />
        <source>وضعیت</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="157" />
        <source>مشتری</source>
        <translation>Customer</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="157" />
        <source>گذری</source>
        <translation>Walk-in</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="158" />
        <source>مبلغ</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="159" />
        <source>مانده</source>
        <translation>Balance due</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="163" />
        <source>همگام‌سازی</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/history.py" line="286" />
        <source>%1 فاکتور</source>
        <translation>%1 invoices</translation>
    </message>
</context>
<context>
    <name>ImportPreviewDialog</name>
    <message>
        <location filename="../../posapp/ui/products.py" line="166" />
        <source>پیش‌نمایش ورود کالا</source>
        <translation>Import preview</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="169" />
        <source>پرونده: %1 — کالای جدید: %2، به‌روزرسانی: %3، سطرهای دارای خطا: %4</source>
        <translation>File: %1 — new products: %2, updates: %3, rows with errors: %4</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="178" />
        <location filename="../../posapp/ui/products.py" line="191" />
        <source>سطر</source>
        <translation>Row</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="178" />
        <source>کد</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="178" />
        <source>نام</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="178" />
        <source>قیمت</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="178" />
        <source>عملیات</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="184" />
        <source>جدید</source>
        <translation>New</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="184" />
        <source>به‌روزرسانی</source>
        <translation>Update</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="191" />
        <source>ستون</source>
        <translation>Column</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="191" />
        <source>خطا</source>
        <translation>Error</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="202" />
        <source>سطرهای معتبر (%1)</source>
        <translation>Valid rows (%1)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="203" />
        <source>خطاها (%1)</source>
        <translation>Errors (%1)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="210" />
        <source>ورود %1 سطر معتبر</source>
        <translation>Import %1 valid rows</translation>
    </message>
</context>
<context>
    <name>InvoiceActions</name>
    <message>
        <location filename="../../posapp/ui/invoice_actions.py" line="113" />
        <source>فاکتور %1 با لینک پرداخت شد</source>
        <translation>Invoice %1 was paid by link</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_actions.py" line="117" />
        <source>فاکتور %1 با مانده باز ماند؛ رسید آن QR پرداخت را دارد (Ctrl+P)</source>
        <translation>Invoice %1 stays open with a balance due; its receipt carries the payment QR (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_actions.py" line="140" />
        <source>دریافت %1 برای فاکتور %2 ثبت شد</source>
        <translation>Received %1 for invoice %2</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_actions.py" line="180" />
        <source>برگشت از فروش</source>
        <translation>Sales return</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_actions.py" line="186" />
        <source>فاکتور برگشت %1 صادر شد</source>
        <translation>Return invoice %1 issued</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_actions.py" line="195" />
        <source>ابطال فاکتور</source>
        <translation>Cancel invoice</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_actions.py" line="206" />
        <source>فاکتور %1 ابطال شد</source>
        <translation>Invoice %1 cancelled</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_actions.py" line="199" />
        <source>کاهش مبلغ فاکتور</source>
        <translation>Reduce an invoice's price</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_actions.py" line="205" />
        <source>فاکتور کاهشی %1 صادر شد</source>
        <translation>Reduction invoice %1 issued</translation>
    </message>
</context>
<context>
    <name>InvoiceEditor</name>
    <message>
        <location filename="../../posapp/ui/editor.py" line="123" />
        <source>انتخاب مشتری</source>
        <translation>Choose customer</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="170" />
        <source>جمع</source>
        <translation>Subtotal</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="170" />
        <source>تخفیف</source>
        <translation>Discount</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="171" />
        <source>مالیات و عوارض</source>
        <translation>VAT</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="171" />
        <source>قابل پرداخت</source>
        <translation>Payable</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="227" />
        <source>فاکتور قبلی نگه داشته شد؛ Shift+F9 آن را برمی‌گرداند</source>
        <translation>The previous sale was held; Shift+F9 brings it back</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="236" />
        <source>فاکتور باز قبلی بازگردانده شد (%1 ردیف)</source>
        <translation>The sale left open last time was brought back (%1 lines)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="248" />
        <source>فاکتور جاری روی دیسک ذخیره نشد؛ آن را نگه دارید (F9) یا صادر کنید</source>
        <translation>The current sale could not be saved to disk; hold it (F9) or issue it</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="278" />
        <source>تعداد ردیف: %1</source>
        <translation>Lines: %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="279" />
        <source>مشتری گذری</source>
        <translation>Walk-in customer</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="321" />
        <source>کالایی با کد «%1» پیدا نشد</source>
        <translation>No product with code “%1”</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="378" />
        <source>این مقدار قابل ویرایش نیست</source>
        <translation>This value cannot be edited</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="394" />
        <source>تخفیف فاکتور</source>
        <translation>Invoice discount</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="395" />
        <source>مبلغ تخفیف یا درصد (مثلاً ۱۰٪):</source>
        <translation>Discount amount or percentage (e.g. 10%):</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="448" />
        <source>فاکتور خالی است؛ ابتدا کالا اضافه کنید</source>
        <translation>The invoice is empty; add a product first</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="461" />
        <source>فاکتور %1 صادر شد</source>
        <translation>Invoice %1 issued</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="473" />
        <source>فاکتور خالی را نمی‌توان نگه داشت</source>
        <translation>An empty invoice cannot be held</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="226" />
        <location filename="../../posapp/ui/editor.py" line="476" />
        <location filename="../../posapp/ui/editor.py" line="483" />
        <source>فاکتور نگه‌داشته</source>
        <translation>Held sale</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="112" />
        <source>اسکن کد یا نام کالا</source>
        <translation>Scan a code or type a name</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="463" />
        <source>بقیه پول: %1</source>
        <translation>Change: %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="477" />
        <source>نگه‌داشتن فاکتور</source>
        <translation>Hold sale</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="478" />
        <source>عنوان:</source>
        <translation>Label:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="488" />
        <source>فاکتور نگه داشته شد</source>
        <translation>Sale held</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/editor.py" line="493" />
        <source>فاکتور جاری</source>
        <translation>Current sale</translation>
    </message>
</context>
<context>
    <name>InvoiceLinesModel</name>
    <message>
        <location filename="../../posapp/ui/invoice_model.py" line="75" />
        <source>ردیف</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_model.py" line="75" />
        <source>کد</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_model.py" line="75" />
        <source>شرح کالا</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_model.py" line="75" />
        <source>تعداد</source>
        <translation>Qty</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_model.py" line="75" />
        <source>واحد</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_model.py" line="76" />
        <source>فی</source>
        <translation>Unit price</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_model.py" line="76" />
        <source>تخفیف</source>
        <translation>Discount</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_model.py" line="76" />
        <source>مالیات</source>
        <translation>Tax</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_model.py" line="76" />
        <source>مبلغ کل</source>
        <translation>Total</translation>
    </message>
</context>
<context>
    <name>InvoiceViewDialog</name>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="88" />
        <source>فاکتور %1</source>
        <translation>Invoice %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="91" />
        <source>شماره:</source>
        <translation>Number:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="92" />
        <source>تاریخ:</source>
        <translation>Date:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="93" />
        <source>نوع:</source>
        <translation>Type:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="94" />
        <source>وضعیت:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="95" />
        <source>خریدار:</source>
        <translation>Buyer:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="95" />
        <source>گذری</source>
        <translation>Walk-in</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="97" />
        <source>فاکتور اصلی:</source>
        <translation>Original invoice:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="99" />
        <source>دلیل ابطال:</source>
        <translation>Cancel reason:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="109" />
        <source>تخفیف:</source>
        <translation>Discount:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="110" />
        <source>مالیات و عوارض:</source>
        <translation>VAT:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="113" />
        <source>مبلغ کل:</source>
        <translation>Total:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="118" />
        <source>چاپ دوباره</source>
        <translation>Reprint</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="120" />
        <source>برگشت از فروش…</source>
        <translation>Return…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="122" />
        <source>ابطال…</source>
        <translation>Cancel invoice…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="124" />
        <source>دریافت مانده…</source>
        <translation>Receive the balance…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="132" />
        <source>مانده:</source>
        <translation>Balance due:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="133" />
        <source>بستن</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="127" />
        <source>کاهش مبلغ…</source>
        <translation>Reduce price…</translation>
    </message>
</context>
<context>
    <name>Invoices</name>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="71" />
        <source>شماره فاکتور:</source>
        <translation>Invoice number:</translation>
    </message>
</context>
<context>
    <name>JalaliDateEdit</name>
    <message>
        <location filename="../../posapp/ui/jalali_edit.py" line="42" />
        <source>۱۴۰۵/۰۱/۰۱</source>
        <translation>1405/01/01</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="95" />
        <source>posapp — صندوق فروش</source>
        <translation>posapp — point of sale</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="121" />
        <source>مشتریان</source>
        <translation>Customers</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="123" />
        <source>کالاها</source>
        <translation>Products</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="125" />
        <source>سابقه فاکتورها</source>
        <translation>Invoice history</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="140" />
        <source>صندوق: %1</source>
        <translation>Till: %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="141" />
        <source>صندوقدار: %1</source>
        <translation>Cashier: %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="144" />
        <source>پایگاه داده: %1</source>
        <translation>Database: %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="145" />
        <source>همگام‌سازی: —</source>
        <translation>Sync: —</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="181" />
        <source>همگام‌سازی</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="453" />
        <source>هنوز فاکتوری در این نوبت صادر نشده است</source>
        <translation>No invoice has been issued in this session yet</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="479" />
        <source>داده نمایشی</source>
        <translation>Demo data</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="480" />
        <source>%1 کالا، %2 مشتری و %3 فاکتور نمایشی به پایگاه داده افزوده شود؟</source>
        <translation>Add %1 demo products, %2 customers and %3 invoices to the database?</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="501" />
        <source>در حال ساختن داده نمایشی…</source>
        <translation>Making demo data…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="502" />
        <source>داده نمایشی افزوده شد</source>
        <translation>Demo data added</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="504" />
        <source>ساختن داده نمایشی متوقف شد</source>
        <translation>Demo data stopped</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="509" />
        <source>پشتیبان‌گیری</source>
        <translation>Back up</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="510" />
        <source>پایگاه داده (*.sqlite3)</source>
        <translation>Database (*.sqlite3)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="519" />
        <source>در حال پشتیبان‌گیری…</source>
        <translation>Backing up…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="520" />
        <source>پشتیبان ذخیره شد: %1</source>
        <translation>Backup saved: %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="528" />
        <source>خطا</source>
        <translation>Error</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="542" />
        <source>تنظیمات سامانه‌ها</source>
        <translation>Provider settings</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/main_window.py" line="542" />
        <source>سامانه:</source>
        <translation>Provider:</translation>
    </message>
</context>
<context>
    <name>OpenShiftDialog</name>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="254" />
        <source>باز کردن شیفت</source>
        <translation>Open shift</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="260" />
        <source>موجودی نقد کشو (%1):</source>
        <translation>Cash in the drawer (%1):</translation>
    </message>
</context>
<context>
    <name>PayByLinkDialog</name>
    <message>
        <location filename="../../posapp/ui/pay_by_link.py" line="96" />
        <source>پرداخت با لینک — %1</source>
        <translation>Pay by link — %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/pay_by_link.py" line="112" />
        <source>در حال ساخت لینک پرداخت…</source>
        <translation>Creating the payment link…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/pay_by_link.py" line="135" />
        <source>منتظر پرداخت مشتری…</source>
        <translation>Waiting for the customer to pay…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/pay_by_link.py" line="165" />
        <source>پرداخت شد: %1</source>
        <translation>Paid: %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/pay_by_link.py" line="174" />
        <source>%1
دوباره تلاش می‌شود…</source>
        <translation>%1
Trying again…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/pay_by_link.py" line="189" />
        <source>خطا: %1</source>
        <translation>Error: %1</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <location filename="../../posapp/ui/payment.py" line="46" />
        <source>پرداخت و صدور فاکتور</source>
        <translation>Pay and issue invoice</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/payment.py" line="60" />
        <location filename="../../posapp/ui/payment.py" line="64" />
        <source>اختیاری</source>
        <translation>Optional</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/payment.py" line="69" />
        <source>فروش نسیه فقط برای مشتری ثبت‌شده ممکن است</source>
        <translation>On-account sales need a named customer</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/payment.py" line="81" />
        <source>مبلغ قابل پرداخت:</source>
        <translation>Amount payable:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/payment.py" line="82" />
        <source>نقد (دریافتی):</source>
        <translation>Cash tendered:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/payment.py" line="83" />
        <source>کارت:</source>
        <translation>Card:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/payment.py" line="84" />
        <source>شماره پیگیری کارت‌خوان:</source>
        <translation>Card reader tracking no.:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/payment.py" line="85" />
        <source>پرداخت آنلاین (لینک):</source>
        <translation>Online payment (link):</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/payment.py" line="86" />
        <source>شماره پیگیری پرداخت آنلاین:</source>
        <translation>Online payment tracking no.:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/payment.py" line="87" />
        <source>نسیه (به حساب مشتری):</source>
        <translation>On account:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/payment.py" line="92" />
        <source>نقد دریافتی</source>
        <translation>Cash tendered</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/payment.py" line="93" />
        <source>باقی‌مانده</source>
        <translation>Remaining</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/payment.py" line="94" />
        <source>بقیه پول</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/payment.py" line="106" />
        <source>صدور فاکتور (Enter)</source>
        <translation>Issue invoice (Enter)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/payment.py" line="113" />
        <source>پرداخت با لینک و QR (%1)</source>
        <translation>Pay by link and QR (%1)</translation>
    </message>
</context>
<context>
    <name>Payments</name>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="58" />
        <source>نقد</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="59" />
        <source>کارت</source>
        <translation>Card</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="60" />
        <source>پرداخت آنلاین</source>
        <translation>Online payment</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="61" />
        <source>نسیه</source>
        <translation>On account</translation>
    </message>
</context>
<context>
    <name>PrintPreviewDialog</name>
    <message>
        <location filename="../../posapp/ui/printing.py" line="202" />
        <source>پیش‌نمایش چاپ</source>
        <translation>Print preview</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/printing.py" line="227" />
        <source>چاپ…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/printing.py" line="230" />
        <source>چاپ رسید صندوق</source>
        <translation>Print the till receipt</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/printing.py" line="235" />
        <source>ذخیره PDF…</source>
        <translation>Save PDF…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/printing.py" line="244" />
        <source>بستن</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/printing.py" line="280" />
        <source>چاپ</source>
        <translation>Print</translation>
    </message>
</context>
<context>
    <name>PrintQueueDialog</name>
    <message>
        <location filename="../../posapp/ui/counter.py" line="224" />
        <source>صف چاپ</source>
        <translation>Print queue</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="229" />
        <source>کار</source>
        <translation>Job</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="229" />
        <source>وضعیت</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="229" />
        <source>تلاش</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="229" />
        <source>پیام</source>
        <translation>Message</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="238" />
        <source>در این نوبت چیزی به چاپگر ESC/POS فرستاده نشده است</source>
        <translation>Nothing was sent to the ESC/POS printer in this session</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="239" />
        <source>چاپ دوباره</source>
        <translation>Print again</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="242" />
        <source>تلاش دوباره برای همهٔ چاپ‌نشده‌ها</source>
        <translation>Retry everything not printed</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="244" />
        <source>حذف از صف</source>
        <translation>Remove from queue</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="246" />
        <source>بستن</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="268" />
        <source>در انتظار</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="268" />
        <source>در حال ارسال</source>
        <translation>Sending</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="269" />
        <source>چاپ شد</source>
        <translation>Printed</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/counter.py" line="269" />
        <source>چاپ نشد</source>
        <translation>Not printed</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <location filename="../../posapp/ui/printing.py" line="335" />
        <source>رسید چاپ نشد: چاپگر رسید انتخاب نشده است (تنظیمات، زبانهٔ «چاپ»). فاکتور %1 ذخیره شده است.</source>
        <translation>Receipt not printed: no receipt printer is chosen (Settings, Printing tab). Invoice %1 is saved.</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/printing.py" line="343" />
        <source>رسید فاکتور %1 چاپ نشد (%2)؛ فاکتور ذخیره شده است و Ctrl+P دوباره چاپ می‌کند.</source>
        <translation>The receipt of invoice %1 was not printed (%2); the invoice is saved and Ctrl+P prints it again.</translation>
    </message>
</context>
<context>
    <name>ProductDialog</name>
    <message>
        <location filename="../../posapp/ui/products.py" line="67" />
        <source>ویرایش کالا</source>
        <translation>Edit product</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="67" />
        <source>کالای جدید</source>
        <translation>New product</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="76" />
        <source>چند بارکد را با ; جدا کنید</source>
        <translation>Separate several barcodes with ;</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="79" />
        <source>عدد</source>
        <translation>pcs</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="84" />
        <source>مثلاً لبنیات؛ برای گزارش فروش دسته‌ها</source>
        <translation>e.g. dairy; the categories report sums by it</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="86" />
        <source>خالی: نرخ جاری ارزش افزوده؛ مثلاً ۹٪</source>
        <translation>Empty: current VAT rate; e.g. 9%</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="87" />
        <source>معاف از مالیات</source>
        <translation>Tax exempt</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="89" />
        <source>۱۳ رقم، برای سامانه مؤدیان</source>
        <translation>13 digits, for Moadian</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="91" />
        <source>خالی: از روی نام واحد (مثلاً ۱۶۲۷ برای عدد)</source>
        <translation>blank: from the unit's name (e.g. 1627 for a piece)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="93" />
        <source>کد کالا:</source>
        <translation>Product code:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="94" />
        <source>نام کالا:</source>
        <translation>Product name:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="95" />
        <source>بارکدها:</source>
        <translation>Barcodes:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="96" />
        <source>قیمت فروش (%1):</source>
        <translation>Sale price (%1):</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="97" />
        <source>واحد:</source>
        <translation>Unit:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="98" />
        <source>موجودی:</source>
        <translation>Stock:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="99" />
        <source>دسته:</source>
        <translation>Category:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="100" />
        <source>نرخ مالیات:</source>
        <translation>Tax rate:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="102" />
        <source>شناسه کالا/خدمت (مؤدیان):</source>
        <translation>Goods/service code (Moadian):</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="103" />
        <source>کد واحد سنجش (مؤدیان):</source>
        <translation>Unit code (Moadian):</translation>
    </message>
</context>
<context>
    <name>Products</name>
    <message>
        <location filename="../../posapp/ui/products.py" line="52" />
        <source>معاف</source>
        <translation>Exempt</translation>
    </message>
</context>
<context>
    <name>ProductsPane</name>
    <message>
        <location filename="../../posapp/ui/products.py" line="238" />
        <source>جستجو در نام یا کد کالا</source>
        <translation>Search product name or code</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="246" />
        <source>کد</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="247" />
        <source>نام کالا</source>
        <translation>Product name</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="248" />
        <source>قیمت</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="249" />
        <source>موجودی</source>
        <translation>Stock</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="250" />
        <source>واحد</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="251" />
        <source>مالیات</source>
        <translation>Tax</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="265" />
        <source>جدید</source>
        <translation>New</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="265" />
        <source>ویرایش</source>
        <translation>Edit</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="266" />
        <source>افزودن به فاکتور</source>
        <translation>Add to invoice</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="267" />
        <source>ورود از فایل…</source>
        <translation>Import from file…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="267" />
        <source>خروجی CSV…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="283" />
        <source>%1 کالا</source>
        <translation>%1 products</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="314" />
        <source>کالای «%1» ذخیره شد</source>
        <translation>Product “%1” saved</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="326" />
        <source>ورود کالا از فایل</source>
        <translation>Import products from file</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="326" />
        <source>فهرست کالا (*.csv *.xlsx)</source>
        <translation>Product list (*.csv *.xlsx)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="336" />
        <source>در حال خواندن فایل…</source>
        <translation>Reading the file…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="357" />
        <source>در حال ورود کالاها…</source>
        <translation>Importing products…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="338" />
        <location filename="../../posapp/ui/products.py" line="359" />
        <source>ورود کالا لغو شد؛ چیزی ذخیره نشد</source>
        <translation>Import cancelled; nothing was saved</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="365" />
        <source>ورود کالا: %1 جدید، %2 به‌روزرسانی، %3 سطر رد شد</source>
        <translation>Import: %1 new, %2 updated, %3 rows refused</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="375" />
        <source>خروجی کالاها</source>
        <translation>Export products</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="375" />
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="385" />
        <source>در حال نوشتن فایل…</source>
        <translation>Writing the file…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="387" />
        <source>%1 کالا در %2 ذخیره شد</source>
        <translation>%1 products saved to %2</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="390" />
        <source>خروجی گرفتن لغو شد</source>
        <translation>Export cancelled</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/products.py" line="396" />
        <source>خطا</source>
        <translation>Error</translation>
    </message>
</context>
<context>
    <name>ProviderSettingsDialog</name>
    <message>
        <location filename="../../posapp/ui/provider_settings.py" line="50" />
        <source>همه فاکتورها</source>
        <translation>Every invoice</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/provider_settings.py" line="51" />
        <source>فقط فاکتورهای با مشتری معین</source>
        <translation>Only invoices with a named customer</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/provider_settings.py" line="52" />
        <source>فقط فاکتورهای پرداخت‌شده با لینک</source>
        <translation>Only invoices paid by link</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/provider_settings.py" line="74" />
        <source>تنظیمات %1</source>
        <translation>%1 settings</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/provider_settings.py" line="78" />
        <source>ارسال فاکتورها به این سامانه</source>
        <translation>Send invoices to this provider</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/provider_settings.py" line="85" />
        <source>تنظیمات</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/provider_settings.py" line="88" />
        <source>کدام فاکتورها</source>
        <translation>Which invoices</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/provider_settings.py" line="103" />
        <source>اطلاعات ورود (در کلیدساز سیستم)</source>
        <translation>Credentials (in the system keyring)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/provider_settings.py" line="108" />
        <source>کلیدساز امنی در دسترس نیست؛ رمزها ذخیره نمی‌شوند. gnome-keyring یا kwallet را نصب کنید.</source>
        <translation>No secure keyring is available, so secrets cannot be stored. Install gnome-keyring or KWallet.</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/provider_settings.py" line="114" />
        <source>ذخیره شده؛ برای تغییر بنویسید</source>
        <translation>Stored; type to replace</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/provider_settings.py" line="115" />
        <source>لازم</source>
        <translation>Required</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/provider_settings.py" line="115" />
        <source>اختیاری</source>
        <translation>Optional</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/provider_settings.py" line="120" />
        <source>آزمایش اتصال</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/provider_settings.py" line="161" />
        <source>برای فعال‌کردن، این موارد لازم است: %1</source>
        <translation>To enable it, enter: %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/provider_settings.py" line="172" />
        <source>مقدار نادرست است؛ چیزی ذخیره نشد: %1</source>
        <translation>A value is not valid; nothing was saved: %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/provider_settings.py" line="183" />
        <source>مقدار نادرست است: %1</source>
        <translation>A value is not valid: %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/provider_settings.py" line="187" />
        <source>در حال آزمایش…</source>
        <translation>Testing…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/provider_settings.py" line="199" />
        <source>آزمایش ممکن نشد: %1</source>
        <translation>The test could not run: %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/provider_settings.py" line="249" />
        <source>%1: «%2» عدد نیست</source>
        <translation>%1: “%2” is not a number</translation>
    </message>
</context>
<context>
    <name>QDialog</name>
    <message>
        <location filename="../../posapp/ui/printing.py" line="178" />
        <source>ذخیره به صورت PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/printing.py" line="178" />
        <source>سند PDF (*.pdf)</source>
        <translation>PDF document (*.pdf)</translation>
    </message>
</context>
<context>
    <name>ReceivePaymentDialog</name>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="162" />
        <source>دریافت مانده فاکتور %1</source>
        <translation>Receive the balance of invoice %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="177" />
        <source>شماره پیگیری (کارت یا پرداخت آنلاین)</source>
        <translation>Tracking number (card or online payment)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="182" />
        <source>مانده:</source>
        <translation>Balance due:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="183" />
        <source>روش:</source>
        <translation>Method:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="184" />
        <source>مبلغ:</source>
        <translation>Amount:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="188" />
        <source>ثبت دریافت</source>
        <translation>Record the payment</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="193" />
        <source>لینک پرداخت و QR</source>
        <translation>Payment link and QR</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="202" />
        <source>پس از دریافت بخشی از مبلغ، لینک پرداخت ساخته نمی‌شود؛ لینک کل فاکتور را می‌خواهد</source>
        <translation>No payment link once part of the amount was taken: a provider's link asks for the whole invoice</translation>
    </message>
</context>
<context>
    <name>ReductionDialog</name>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="375" />
        <source>کاهش مبلغ فاکتور %1</source>
        <translation>Price reduction of invoice %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="385" />
        <source>ردیف</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="385" />
        <source>شرح کالا</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="385" />
        <source>فروخته</source>
        <translation>Sold</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="385" />
        <source>برگشت‌شده</source>
        <translation>Returned</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="385" />
        <source>نزد مشتری</source>
        <translation>Customer holds</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="386" />
        <source>مقدار پس از کاهش</source>
        <translation>Quantity after reduction</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="386" />
        <source>قیمت واحد پس از کاهش</source>
        <translation>Unit price after reduction</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="401" />
        <source>کامل برگشت خورده</source>
        <translation>Returned in full</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="421" />
        <source>صدور فاکتور کاهشی</source>
        <translation>Issue the reduction</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="425" />
        <source>آنچه نزد مشتری مانده، پیش از کاهش:</source>
        <translation>What the customer holds, before the reduction:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="426" />
        <source>مبلغ فاکتور کاهشی:</source>
        <translation>Reduction invoice amount:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="429" />
        <source>مقدار یا قیمت واحد هر ردیف را کم کنید. فاکتور کاهشی جای این فروش را می‌گیرد و کالای برگشت‌شده در آن نمی‌آید.</source>
        <translation>Lower the quantity or unit price of a line. The reduction invoice replaces this sale and leaves the returned goods out.</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="406" />
        <source>چاپ فیش</source>
        <translation>Print slip</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="407" />
        <source>پیش‌نمایش A4</source>
        <translation>A4 preview</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="408" />
        <source>بستن</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="434" />
        <source>خطا</source>
        <translation>Error</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <location filename="../../posapp/ui/reports.py" line="85" />
        <source>امروز</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="85" />
        <source>دیروز</source>
        <translation>Yesterday</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="85" />
        <source>این هفته</source>
        <translation>This week</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="86" />
        <source>این ماه</source>
        <translation>This month</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="86" />
        <source>این فصل</source>
        <translation>This season</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="86" />
        <source>امسال</source>
        <translation>This year</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="87" />
        <source>بازه دلخواه</source>
        <translation>Custom range</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="93" />
        <source>فروش</source>
        <translation>Sales</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="93" />
        <source>کالاها</source>
        <translation>Products</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="93" />
        <source>دریافت‌ها</source>
        <translation>Payments</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="93" />
        <source>دسته‌ها</source>
        <translation>Categories</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="94" />
        <source>صندوق‌داران</source>
        <translation>Cashiers</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="94" />
        <source>مالیات فصلی</source>
        <translation>VAT by season</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="94" />
        <source>مشتریان</source>
        <translation>Customers</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="162" />
        <location filename="../../posapp/ui/reports.py" line="355" />
        <source>در حال محاسبه…</source>
        <translation>Computing…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="483" />
        <source>ردیف‌های دستی</source>
        <translation>hand-typed lines</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="490" />
        <source>بدون دسته</source>
        <translation>no category</translation>
    </message>
</context>
<context>
    <name>ReportsWindow</name>
    <message>
        <location filename="../../posapp/ui/reports.py" line="232" />
        <source>گزارش‌ها</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="254" />
        <source>همه صندوق‌ها</source>
        <translation>All tills</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="255" />
        <source>نمایش</source>
        <translation>Show</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="257" />
        <source>اکسل</source>
        <translation>Excel</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="259" />
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="261" />
        <source>چاپ A4</source>
        <translation>Print A4</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="265" />
        <source>بازه:</source>
        <translation>Period:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="265" />
        <source>از</source>
        <translation>from</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="266" />
        <source>تا</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="266" />
        <source>صندوق:</source>
        <translation>Till:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="425" />
        <source>میلیون %1</source>
        <translation>million %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="429" />
        <source>فروش خالص پس از برگشتی</source>
        <translation>Net sales after returns</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="434" />
        <source>ساعت</source>
        <translation>hour</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="438" />
        <source>روز</source>
        <translation>day</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="443" />
        <source>فروش</source>
        <translation>Sales</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="482" />
        <source>پرفروش‌ترین کالاها (فروش خالص)</source>
        <translation>Best sellers (net sales)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="489" />
        <source>فروش خالص هر دسته</source>
        <translation>Net sales per category</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="496" />
        <source>فروش خالص</source>
        <translation>Net sales</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="523" />
        <source>سهم هر روش پرداخت</source>
        <translation>Share of each payment method</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="551" />
        <source>ذخیره گزارش</source>
        <translation>Save report</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="552" />
        <source>اکسل (*.xlsx)</source>
        <translation>Excel (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="552" />
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="573" />
        <source>نوشتن گزارش…</source>
        <translation>Writing the report…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="574" />
        <source>گزارش در %1 ذخیره شد</source>
        <translation>Report saved to %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="576" />
        <source>نوشتن گزارش لغو شد؛ پرونده‌ای نوشته نشد</source>
        <translation>Writing the report was cancelled; no file was written</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/reports.py" line="601" />
        <source>خطا</source>
        <translation>Error</translation>
    </message>
</context>
<context>
    <name>ReturnDialog</name>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="241" />
        <source>برگشت از فاکتور %1</source>
        <translation>Return from invoice %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="250" />
        <source>ردیف</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="250" />
        <source>شرح کالا</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="250" />
        <source>فروخته</source>
        <translation>Sold</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="250" />
        <source>برگشت قبلی</source>
        <translation>Returned before</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="250" />
        <source>تعداد برگشت</source>
        <translation>Return qty</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="280" />
        <source>صدور فاکتور برگشت</source>
        <translation>Issue return</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="284" />
        <source>روش بازپرداخت:</source>
        <translation>Refund method:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="285" />
        <source>مبلغ بازپرداخت:</source>
        <translation>Refund:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/invoice_dialogs.py" line="287" />
        <source>تعداد برگشتی هر ردیف را در ستون آخر بنویسید.</source>
        <translation>Type the quantity to return for each line in the last column.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="126" />
        <source>تنظیمات</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="105" />
        <source>ریال</source>
        <translation>Rial</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="96" />
        <source>مدرن (رنگی، A4 و A5)</source>
        <translation>Modern (colour, A4 and A5)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="97" />
        <source>رسمی (صورتحساب فروش کالا و خدمات)</source>
        <translation>Formal (the official sales invoice form)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="98" />
        <source>فیش (رسید صندوق ۵۸ و ۸۰ میلی‌متری)</source>
        <translation>Receipt (58 and 80 mm till slip)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="99" />
        <source>کربن (تک‌رنگ، نسخهٔ فروشنده و خریدار)</source>
        <translation>Carbon (monochrome, seller's and buyer's copies)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="106" />
        <source>تومان</source>
        <translation>Toman</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="139" />
        <source>عمومی</source>
        <translation>General</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="140" />
        <source>فروشگاه</source>
        <translation>Shop</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="141" />
        <source>چاپ</source>
        <translation>Printing</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="142" />
        <source>سخت‌افزار صندوق</source>
        <translation>Counter hardware</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="161" />
        <source>صندوقدار می‌تواند قیمت ردیف را تغییر دهد</source>
        <translation>Cashier may change a line's price</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="163" />
        <source>بوق کوتاه وقتی کد اسکن‌شده پیدا نشود</source>
        <translation>Beep when a scanned code is not found</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="170" />
        <source>خودکار: نخستین سامانهٔ فعال</source>
        <translation>Automatic: the first enabled provider</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="171" />
        <source>خاموش</source>
        <translation>Off</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="177" />
        <source>زبان برنامه:</source>
        <translation>Language:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="178" />
        <source>نمایش مبالغ به:</source>
        <translation>Show amounts in:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="179" />
        <source>نام صندوقدار:</source>
        <translation>Cashier name:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="189" />
        <source>حقیقی (شخص)</source>
        <translation>Natural person</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="190" />
        <source>حقوقی (شرکت)</source>
        <translation>Legal entity (company)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="200" />
        <source>بدون نشان</source>
        <translation>No logo</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="201" />
        <source>انتخاب…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="210" />
        <source>نام فروشگاه:</source>
        <translation>Shop name:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="211" />
        <source>نوع:</source>
        <translation>Type:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="212" />
        <source>کد ملی / شناسه ملی:</source>
        <translation>National ID / legal ID:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="213" />
        <source>کد اقتصادی:</source>
        <translation>Economic code:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="214" />
        <source>شماره ثبت:</source>
        <translation>Registration number:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="215" />
        <source>کد پستی:</source>
        <translation>Postal code:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="216" />
        <source>تلفن:</source>
        <translation>Phone:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="217" />
        <source>نشانی:</source>
        <translation>Address:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="218" />
        <source>نشان (لوگو):</source>
        <translation>Logo:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="228" />
        <source>قالب فاکتور (پیش‌نمایش و Ctrl+P):</source>
        <translation>Invoice theme (preview and Ctrl+P):</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="229" />
        <source>قالب رسید صندوق:</source>
        <translation>Till receipt theme:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="230" />
        <source>قالب صورتحساب رسمی:</source>
        <translation>Official invoice form theme:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="246" />
        <source>%1 میلی‌متر</source>
        <translation>%1 mm</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="251" />
        <source>هر بار پرسیده شود</source>
        <translation>Ask each time</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="254" />
        <source>چاپگر ESC/POS با نشانی (شبکه، USB، سریال)</source>
        <translation>ESC/POS printer at an address (network, USB, serial)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="264" />
        <source>%1 (روی این رایانه نصب نیست)</source>
        <translation>%1 (not installed on this computer)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="266" />
        <source>قالب کربن نسخهٔ فروشنده و خریدار را چاپ کند</source>
        <translation>Carbon prints a seller's and a buyer's copy</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="270" />
        <source>با صدور هر فاکتور، رسید آن خودکار چاپ شود</source>
        <translation>Print the receipt automatically when an invoice is issued</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="275" />
        <source>کاغذ فاکتور:</source>
        <translation>Invoice paper:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="276" />
        <source>عرض کاغذ رسید:</source>
        <translation>Receipt paper width:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="277" />
        <source>چاپگر رسید:</source>
        <translation>Receipt printer:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="278" />
        <source>نشانی چاپگر ESC/POS:</source>
        <translation>ESC/POS printer address:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="281" />
        <source>متن پایین فاکتور و رسید:</source>
        <translation>Footer of invoices and receipts:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="282" />
        <source>مبالغ روی کاغذ به:</source>
        <translation>Printed amounts in:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="319" />
        <source>انتخاب نشان فروشگاه</source>
        <translation>Choose the shop's logo</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="320" />
        <source>تصویر PNG یا JPEG (*.png *.jpg *.jpeg)</source>
        <translation>PNG or JPEG image (*.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="332" />
        <source>فایل نشان پیدا نشد: %1</source>
        <translation>Logo file not found: %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="337" />
        <source>نشان SVG چاپ نمی‌شود؛ آن را به PNG یا JPEG تبدیل کنید</source>
        <translation>An SVG logo cannot be printed; convert it to PNG or JPEG</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="339" />
        <source>فایل نشان خوانده نشد؛ یک تصویر PNG یا JPEG انتخاب کنید</source>
        <translation>The logo file could not be read; choose a PNG or JPEG image</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="367" />
        <source>برای چاپ خودکار رسید، چاپگر رسید را انتخاب کنید</source>
        <translation>To print receipts automatically, choose the receipt printer</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="182" />
        <source>کد صندوق:</source>
        <translation>Till code:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="183" />
        <source>سری شماره فاکتور:</source>
        <translation>Invoice number series:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/settings_dialog.py" line="184" />
        <source>پرداخت با لینک از طریق:</source>
        <translation>Pay by link through:</translation>
    </message>
</context>
<context>
    <name>ShopDay</name>
    <message>
        <location filename="../../posapp/ui/shop_day.py" line="128" />
        <location filename="../../posapp/ui/shop_day.py" line="173" />
        <source>صندوقدار: %1</source>
        <translation>Cashier: %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day.py" line="148" />
        <source>برای قفل صندوق نخست مالک را بسازید (کاربران و نقش‌ها)</source>
        <translation>To lock the till, first create the owner (Users and roles)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day.py" line="253" />
        <source>تغییر قیمت یا تخفیف بدون تأیید مدیر برگردانده شد</source>
        <translation>The price or discount change was undone: no manager approved it</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day.py" line="297" />
        <source>شیفت: بسته</source>
        <translation>Shift: closed</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day.py" line="299" />
        <source>شیفت %1: باز</source>
        <translation>Shift %1: open</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day.py" line="312" />
        <source>شیفت این صندوق باز است</source>
        <translation>This till's shift is already open</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day.py" line="315" />
        <source>شیفت باز شد</source>
        <translation>Shift opened</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day.py" line="319" />
        <source>شیفت بازی نیست</source>
        <translation>No shift is open</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day.py" line="332" />
        <source>جابه‌جایی نقد ثبت شد</source>
        <translation>Cash movement recorded</translation>
    </message>
</context>
<context>
    <name>SignInScreen</name>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="81" />
        <source>ورود به صندوق</source>
        <translation>Sign in to the till</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="88" />
        <source>رمز</source>
        <translation>PIN</translation>
    </message>
</context>
<context>
    <name>SyncPane</name>
    <message>
        <location filename="../../posapp/ui/sync_labels.py" line="14" />
        <source>صدور</source>
        <translation>Issue</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_labels.py" line="15" />
        <source>ابطال</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_labels.py" line="16" />
        <source>برگشت</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_labels.py" line="17" />
        <source>کاهش</source>
        <translation>Reduce</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_labels.py" line="18" />
        <source>لینک پرداخت</source>
        <translation>Payment link</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_labels.py" line="19" />
        <source>دریافت وجه</source>
        <translation>Payment received</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_labels.py" line="23" />
        <source>در انتظار</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_labels.py" line="24" />
        <source>در حال ارسال</source>
        <translation>Sending</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_labels.py" line="25" />
        <source>رد شد</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_labels.py" line="26" />
        <source>ارسال شد</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_labels.py" line="27" />
        <source>رد شده توسط صندوق‌دار</source>
        <translation>Skipped by the cashier</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="60" />
        <source>هرگز</source>
        <translation>never</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="82" />
        <source>همگام‌سازی: %1 در صف، %2 ناموفق · آخرین ارسال موفق: %3</source>
        <translation>Sync: %1 queued, %2 failed · last successful send: %3</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="87" />
        <source> · آخرین خطا (%1): %2</source>
        <translation> · last error (%1): %2</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="96" />
        <source>سامانه</source>
        <translation>Provider</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="96" />
        <source>عملیات</source>
        <translation>Operation</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="97" />
        <source>فاکتور</source>
        <translation>Invoice</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="97" />
        <source>وضعیت</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="98" />
        <source>تلاش‌ها</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="98" />
        <source>خطا</source>
        <translation>Error</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="181" />
        <source>تلاش دوباره</source>
        <translation>Retry</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="182" />
        <location filename="../../posapp/ui/sync_pane.py" line="309" />
        <source>رد کردن</source>
        <translation>Skip</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="183" />
        <source>ارسال اکنون</source>
        <translation>Send now</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="184" />
        <source>بازخوانی</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="230" />
        <source>%1: %2 در صف (%3 منتظر ردیف ردشده)، %4 ناموفق، %5 ارسال‌شده · آخرین موفق: %6</source>
        <translation>%1: %2 queued (%3 waiting behind a rejected row), %4 failed, %5 sent · last success: %6</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="236" />
        <source>صف همگام‌سازی خالی است</source>
        <translation>Nothing is queued for sync</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="248" />
        <source>سامانه مؤدیان: %1 صورتحساب هنوز پذیرفته نشده و مهلت ارسالش نزدیک است یا گذشته:</source>
        <translation>Moadian: %1 invoice(s) not accepted yet, close to or past the sending deadline:</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="250" />
        <source>%1 — مهلت %2</source>
        <translation>%1 — deadline %2</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="260" />
        <source>%1 در دسترس نیست: %2</source>
        <translation>%1 cannot be reached: %2</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="272" />
        <source> · در دسترس نیست: %1</source>
        <translation> · cannot reach: %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="278" />
        <source>خواندن صف ممکن نشد: %1</source>
        <translation>Could not read the queue: %1</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="310" />
        <source>فاکتور %1 به %2 فرستاده نمی‌شود. دلیل؟</source>
        <translation>Invoice %1 will not be sent to %2. Why?</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/sync_pane.py" line="327" />
        <source>هیچ سامانه‌ای فعال نیست؛ چیزی فرستاده نمی‌شود. یک سامانه را در «ابزار › تنظیمات سامانه‌ها» (Ctrl+Shift+,) راه‌اندازی و فعال کنید.</source>
        <translation>No provider is enabled, so nothing is sent. Set one up and enable it in Tools › Provider settings (Ctrl+Shift+,).</translation>
    </message>
</context>
<context>
    <name>TaskManager</name>
    <message>
        <location filename="../../posapp/ui/tasks.py" line="219" />
        <source>انصراف</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/tasks.py" line="245" />
        <source>در حال توقف…</source>
        <translation>Stopping…</translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="497" />
        <source>کاربران و نقش‌ها</source>
        <translation>Users and roles</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="502" />
        <source>کاربران</source>
        <translation>Users</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="503" />
        <source>نقش‌ها</source>
        <translation>Roles</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="504" />
        <source>قفل و اسکناس‌ها</source>
        <translation>Lock and notes</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="525" />
        <source>نام</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="530" />
        <source>رمز</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="531" />
        <source>افزودن</source>
        <translation>Add</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="532" />
        <source>فعال / غیرفعال</source>
        <translation>Enable / disable</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="533" />
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="638" />
        <source>رمز تازه</source>
        <translation>New PIN</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="552" />
        <source>سقف تخفیف (٪)</source>
        <translation>Discount limit (%)</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="553" />
        <source>ذخیره نقش‌ها</source>
        <translation>Save roles</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="567" />
        <source>ذخیره</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="569" />
        <source>قفل خودکار پس از چند دقیقه بی‌کاری (۰: هرگز):</source>
        <translation>Lock after this many idle minutes (0: never):</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="571" />
        <source>اسکناس‌های شمارش (ریال، با ویرگول جدا):</source>
        <translation>Notes to count (Rial, comma-separated):</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="580" />
        <source>غیرفعال</source>
        <translation>disabled</translation>
    </message>
    <message>
        <location filename="../../posapp/ui/shop_day_dialogs.py" line="638" />
        <source>رمز تازه «%1»:</source>
        <translation>New PIN for %1:</translation>
    </message>
</context>
</TS>