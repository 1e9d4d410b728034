"""Pages of a long list whose cost does not grow with the page number.

A page deep in the archive (`?page=1000`) asks the database to skip
thousands of rows; with OFFSET alone it reads each of them, whole, before the
twenty it shows. `DeepPaginator` keeps Django's paginator and its `?page=N`
addresses, but asks for a page in one query that skips the rows in the
index (their ids only) and reads only the page's own rows:

    SELECT ... WHERE id IN (SELECT id ... ORDER BY ... LIMIT 20 OFFSET n) ORDER BY ...
"""

from django.core.paginator import Paginator


class DeepPaginator(Paginator):
    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        items = self.object_list
        if not bottom:
            return self._get_page(items[:top], number, self)
        return self._get_page(items.filter(pk__in=items.values("pk")[bottom:top]), number, self)
