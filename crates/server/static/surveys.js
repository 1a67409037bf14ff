// Survey pages: load a survey file into the document textarea. Without JavaScript the file
// picker stays hidden and pasting into the textarea works the same.
document.querySelectorAll('input[type="file"][data-fill]').forEach(function (input) {
  var wrap = input.closest('[hidden]');
  if (wrap) { wrap.hidden = false; }
  input.addEventListener('change', function () {
    var file = input.files && input.files[0];
    if (!file) { return; }
    file.text().then(function (text) {
      var target = document.getElementById(input.getAttribute('data-fill'));
      if (target) { target.value = text; target.focus(); }
    });
  });
});
