// Opens PortOne's checkout for the payment our server pre-registered. The amount is the server's; PortOne
// refuses another one. With redirectUrl set, the browser comes back to /payments/return/:order, where the
// server asks PortOne what happened; on desktop the promise resolves here and we go there ourselves.
(() => {
  const el = document.getElementById('portone-checkout');
  if (!el || !window.PortOne) return;
  const c = JSON.parse(el.dataset.checkout);
  const open = async () => {
    const response = await window.PortOne.requestPayment({
      storeId: c.storeId,
      channelKey: c.channelKey,
      paymentId: c.paymentId,
      orderName: c.orderName,
      totalAmount: c.totalAmount,
      currency: 'CURRENCY_KRW',
      payMethod: 'CARD',
      redirectUrl: c.redirectUrl,
    });
    const back = new URL(c.redirectUrl);
    if (response?.code) back.searchParams.set('code', response.code);
    window.location.assign(back.toString());
  };
  document.getElementById('portone-open')?.addEventListener('click', () => void open());
  void open();
})();
