package calendar

import "time"

// OrthodoxEaster is the date of Orthodox Easter Sunday in a Gregorian
// year from 1900 to 2099 (Meeus's Julian algorithm, plus the 13 days between
// the calendars in that range).
func OrthodoxEaster(year int) time.Time {
	a, b, c := year%4, year%7, year%19
	d := (19*c + 15) % 30
	e := (2*a + 4*b - d + 34) % 7
	month := (d + e + 114) / 31
	day := (d+e+114)%31 + 1
	return time.Date(year, time.Month(month), day+13, 0, 0, 0, 0, time.UTC)
}

// Holiday names the Romanian public holiday on t's date (Codul muncii, art.
// 139, as of 2024), if any. Names are translation keys.
func Holiday(t time.Time) (string, bool) {
	y, m, d := t.Date()
	date := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	fixed := map[[2]int]string{
		{1, 1}: "new_year", {1, 2}: "new_year", {1, 6}: "epiphany", {1, 7}: "st_john",
		{1, 24}: "union_day", {5, 1}: "labour_day", {6, 1}: "children_day",
		{8, 15}: "dormition", {11, 30}: "st_andrew", {12, 1}: "national_day",
		{12, 25}: "christmas", {12, 26}: "christmas",
	}
	if name, ok := fixed[[2]int{int(m), d}]; ok {
		return name, true
	}
	easter := OrthodoxEaster(y)
	for offset, name := range map[int]string{-2: "good_friday", 0: "easter", 1: "easter", 49: "pentecost", 50: "pentecost"} {
		if date.Equal(easter.AddDate(0, 0, offset)) {
			return name, true
		}
	}
	return "", false
}
