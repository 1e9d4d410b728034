"""Path converters shared by the public URLs."""


class YearConverter:
    """A four-digit year from 1000 to 9998.

    `<int:year>` would also take 0, 02005 or a 30-digit number, which are not
    addresses of anything and make date lookups fail; 9999 has no room left
    for a time zone shift at the year's end.
    """

    regex = "[1-9][0-9]{3}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if year > 9998:
            # Not a match: the address is a 404.
            raise ValueError(value)
        return year

    def to_url(self, value) -> str:
        return f"{int(value):04d}"
