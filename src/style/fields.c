#include "style/fields.h"

#include <stdio.h>
#include <string.h>

static const char *pick(const nb_text *t, nb_lang lang) {
  const nb_str *s = nb_text_pick(t, lang);
  return s ? s->s : "";
}

void nb_format_date(nb_buf *b, const char *iso, nb_lang lang) {
  int y, m, d;
  if (!iso || sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3) return;
  static const char *mon[] = {"January",   "February", "March",    "April",
                              "May",       "June",     "July",     "August",
                              "September", "October",  "November", "December"};
  if (lang == NB_LANG_EN)
    nb_buf_printf(b, "%d %s %d", d, mon[(m + 11) % 12], y);
  else
    nb_buf_printf(b, "%d年%d月%d日", y, m, d); /* GB/T 9704: no leading zeros */
}

static void value(nb_buf *b, const char *name, size_t len, const nb_doc *doc, nb_lang lang,
                  int page, int pages) {
  const nb_meta *m = &doc->meta;
  const nb_contact *c = &m->contact;
  const char *v = NULL;
#define IS(s) (len == strlen(s) && !strncmp(name, s, len))
  if (IS("issuer"))
    v = pick(&m->issuer, lang);
  else if (IS("title")) {
    for (const char *t = pick(&m->title, lang); *t; t++)
      if (*t != '\n') nb_buf_addc(b, *t);
    return;
  } else if (IS("year")) {
    nb_buf_printf(b, "%d", m->year);
    return;
  } else if (IS("page")) {
    nb_buf_printf(b, "%d", page);
    return;
  } else if (IS("pages")) {
    nb_buf_printf(b, "%d", pages);
    return;
  } else if (IS("published")) {
    nb_format_date(b, m->published.s, lang);
    return;
  } else if (IS("office"))
    v = pick(&c->office, lang);
  else if (IS("address"))
    v = pick(&c->address, lang);
  else if (IS("postcode"))
    v = pick(&c->postcode, lang);
  else if (IS("phone"))
    v = pick(&c->phone, lang);
  else if (IS("email"))
    v = pick(&c->email, lang);
  else if (IS("website"))
    v = pick(&c->website, lang);
#undef IS
  if (v)
    nb_buf_adds(b, v);
  else {
    nb_buf_addc(b, '{');
    nb_buf_add(b, name, len);
    nb_buf_addc(b, '}');
  }
}

char *nb_fields_expand(const char *tmpl, const nb_doc *doc, nb_lang lang, int page, int pages) {
  nb_buf b = {0};
  for (const char *p = tmpl; p && *p;) {
    const char *close = *p == '{' ? strchr(p, '}') : NULL;
    if (close) {
      value(&b, p + 1, (size_t)(close - p - 1), doc, lang, page, pages);
      p = close + 1;
    } else
      nb_buf_addc(&b, *p++);
  }
  nb_buf_add(&b, NULL, 0);
  return b.s;
}

int nb_fields_known(const char *tmpl, char *bad, size_t badlen) {
  static const char *names[] = {"issuer",    "title",   "year",    "page",     "pages",
                                "published", "office",  "address", "postcode", "phone",
                                "email",     "website", NULL};
  for (const char *p = tmpl; p && (p = strchr(p, '{'));) {
    const char *close = strchr(p, '}');
    if (!close) return 1;
    size_t len = (size_t)(close - p - 1);
    int ok = 0;
    for (const char **n = names; *n; n++)
      if (strlen(*n) == len && !strncmp(*n, p + 1, len)) ok = 1;
    if (!ok) {
      snprintf(bad, badlen, "%.*s", (int)len, p + 1);
      return 0;
    }
    p = close + 1;
  }
  return 1;
}
