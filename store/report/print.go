package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ghiseu/ghiseu/assets/i18n"
)

// Printable writes the report as a plain-text page in l, with the same
// tables as the HTML page: what a printer takes without a browser (CUPS
// prints text everywhere, HTML only with filters most offices lack).
func (r Report) Printable(w io.Writer, l i18n.Lang, officeName string) error {
	t := func(k string) string { return i18n.T(l, "report."+k, nil) }
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s · %s\n\n", t("title"), officeName, r.Day)
	head := []string{"", t("bookings"), t("arrivals"), t("noshows"), t("pickups"), t("served"), t("wait"), t("service")}
	day := r.Totals
	table(&b, head, [][]string{{t("day"), strconv.Itoa(day.Bookings), strconv.Itoa(day.Arrivals), strconv.Itoa(day.NoShows),
		strconv.Itoa(day.Pickups), strconv.Itoa(day.Served), minutes(day.AvgWait), minutes(day.AvgService)}})
	for _, scope := range []struct {
		title string
		rows  []Totals
	}{{t("counters"), r.Counters}, {t("clerks"), r.Clerks}} {
		fmt.Fprintf(&b, "\n%s\n", scope.title)
		var rows [][]string
		for _, x := range scope.rows {
			rows = append(rows, []string{plain(x.Name), strconv.Itoa(x.Arrivals), strconv.Itoa(x.Pickups), strconv.Itoa(x.Served),
				minutes(x.AvgWait), minutes(x.AvgService)})
		}
		table(&b, []string{"", t("arrivals"), t("pickups"), t("served"), t("wait"), t("service")}, rows)
	}
	if r.Conflicts > 0 {
		fmt.Fprintf(&b, "\n%s: %d\n", t("conflicts"), r.Conflicts)
	}
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("write the printable report: %w", err)
	}
	return nil
}

// table writes rows under head in columns, the first left-aligned and the
// numbers right-aligned.
func table(b *strings.Builder, head []string, rows [][]string) {
	widths := make([]int, len(head))
	for _, row := range append([][]string{head}, rows...) {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for _, row := range append([][]string{head}, rows...) {
		for i, c := range row {
			gap := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i == 0 {
				b.WriteString(c + gap)
			} else {
				b.WriteString("  " + gap + c)
			}
		}
		b.WriteString("\n")
	}
}

// plain keeps a name on its line: control characters (a clerk's name
// comes from whoever signed in) become spaces.
func plain(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}
