/* Fields of the templates a layout gives for headers, footers, the masthead and the 版记:
 * "{issuer}　{title}" → the document's values in the edition's language. */
#ifndef NB_FIELDS_H
#define NB_FIELDS_H

#include "content/model.h"

/* "{issuer}", "{title}", "{year}", "{published}", "{page}", "{pages}", contact fields;
 * the caller frees the result. */
char *nb_fields_expand(const char *tmpl, const nb_doc *doc, nb_lang lang, int page, int pages);
/* 0 when the template names an unknown field; `bad` then names it. */
int nb_fields_known(const char *tmpl, char *bad, size_t badlen);
/* 2020年3月31日, or 31 March 2020 */
void nb_format_date(nb_buf *b, const char *iso, nb_lang lang);

#endif
