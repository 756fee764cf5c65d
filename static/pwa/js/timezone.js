// The time zone field starts at the browser's own zone when it is one the server knows
// (the datalist holds every IANA zone). Without JavaScript the server's default stays; a
// form shown again with its errors carries no marker, so a chosen zone is kept.
const field = document.querySelector('input[data-browser-timezone]');
if (field) {
  let zone = '';
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
  } catch {
    zone = '';
  }
  const list = field.list;
  const known = list && Array.from(list.options).some((option) => option.value === zone);
  if (known && field.value === field.defaultValue) field.value = zone;
}
