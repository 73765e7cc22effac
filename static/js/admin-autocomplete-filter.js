/*
 * List filters chosen in a search box (eig_portal.common.admin_lists.AutocompleteListFilter):
 * choosing an object in the select2 box submits the filter's form, which keeps the list's
 * other parameters as hidden fields. select2 signals the choice through jQuery's « change »
 * event (not seen by addEventListener), hence django.jQuery (loaded before this file).
 */
(function () {
  "use strict";
  if (!window.django || !window.django.jQuery) return;
  window.django.jQuery(document).on("change", "form.portal-autocomplete-filter select", function () {
    this.form.submit();
  });
})();
