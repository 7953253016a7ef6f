package app

import (
	"context"
	"maps"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/desk"
)

// filterStates are the day list's filter choices after "all", in order,
// by state; the last choice, cancelled, is by the booking's status.
var filterStates = []store.State{store.Expected, store.Present, store.InService, store.Done, store.Absent, store.Collected}

// cancelled reports whether the booking no longer stands: cancelled or
// replaced in the booking system, or refused at a counter.
func cancelled(r desk.Row) bool {
	return r.Status == store.Cancelled || r.Status == store.Replaced || r.State == store.Turned
}

// shows reports whether the filter choice i (0: all; see filterStates,
// then cancelled) keeps the row. A cancelled booking is no longer
// expected: it shows under cancelled only.
func shows(i int, r desk.Row) bool {
	switch {
	case i == 0:
		return true
	case i > len(filterStates):
		return cancelled(r)
	}
	return r.State == filterStates[i-1] && !cancelled(r)
}

// dayList is today's bookings by slot, with their state, a state filter and
// a name search.
type dayList struct {
	c      *Counter
	all    []desk.Row
	shown  []desk.Row
	choice int // the filter's choice: 0 for all, see shows
	search *scanEntry
	filter *scanSelect // its keys and its list's are not lost to a scan (scaninput.go)
	count  *widget.Label
	list   *scanList
	root   fyne.CanvasObject
	// picked is the booking selected in the list (its ID; "" for none),
	// offered to be checked in by offer or Enter in the code field.
	picked string
	offer  *scanButton
}

func newDayList(c *Counter) *dayList {
	d := &dayList{c: c, count: widget.NewLabel("")}
	d.search = newScanEntry(c.keys, c.shortcuts)
	d.search.SetPlaceHolder(c.t("ui.day.search", nil))
	d.search.OnChanged = func(string) { d.apply() }
	d.search.OnSubmitted = func(string) {
		if !d.checkInPicked() {
			c.win.Canvas().Focus(c.manual)
		}
	}
	// The arrows in the code field and the search box move the selection
	// in the list: the keyboard stays where a scan is caught.
	arrows := maps.Clone(c.shortcuts)
	arrows[string(fyne.KeyDown)] = func() { d.move(1) }
	arrows[string(fyne.KeyUp)] = func() { d.move(-1) }
	d.search.shortcuts = arrows
	if c.manual != nil {
		c.manual.shortcuts = arrows
		c.manual.onEscape = func() { c.escape() } // withdraws the offer
	}
	d.offer = c.button("", func() { d.checkInPicked() })
	d.offer.Importance = widget.HighImportance

	options := []string{c.t("ui.day.filter.all", nil)}
	for _, s := range filterStates {
		options = append(options, c.t("state."+string(s), nil))
	}
	options = append(options, c.t("status.cancelled", nil))
	d.filter = newScanSelect(c.keys, options, func(choice string) {
		d.choice = 0
		for i, o := range options {
			if o == choice {
				d.choice = i
			}
		}
		d.apply()
	})
	d.list = newScanList(c.keys, func() int { return len(d.shown) }, d.newRow, d.updateRow)
	d.filter.SetSelectedIndex(0)
	title := widget.NewLabelWithStyle(c.t("ui.day.title", map[string]string{"day": c.desk.Time().Format(time.RFC3339)}),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	top := container.NewVBox(container.NewBorder(nil, nil, nil, d.count, title),
		container.NewBorder(nil, nil, nil, d.filter, d.search))
	d.list.OnSelected = d.pick
	d.list.OnUnselected = func(widget.ListItemID) { d.unpick() }
	d.showOffer()
	d.root = container.NewBorder(top, d.offer, nil, nil, d.list)
	return d
}

// pick offers to check in the person of row i, selected by a click or the
// arrows. The keyboard stays in the code field (keepFocus takes it off
// the list): Enter there, or the offer's button, checks them in.
func (d *dayList) pick(i widget.ListItemID) {
	if i < 0 || i >= len(d.shown) {
		return
	}
	d.picked = d.shown[i].ID
	d.showOffer()
}

// unpick withdraws the offer.
func (d *dayList) unpick() {
	d.picked = ""
	d.showOffer()
}

// withdraw withdraws the offer and the selection it was made from, if
// there is one.
func (d *dayList) withdraw() {
	if d.picked == "" {
		return
	}
	d.list.UnselectAll()
	d.unpick()
}

// pickedRow is the selected booking, if it is still listed.
func (d *dayList) pickedRow() (desk.Row, int, bool) {
	for i, r := range d.shown {
		if d.picked != "" && r.ID == d.picked {
			return r, i, true
		}
	}
	return desk.Row{}, -1, false
}

// showOffer words the offer's button: whom Enter checks in, or how to
// pick someone; a walk-in, who has no reference, is not checked in so.
func (d *dayList) showOffer() {
	r, _, ok := d.pickedRow()
	switch {
	case !ok:
		d.offer.SetText(d.c.t("ui.day.pick", nil))
		d.offer.Disable()
	case r.Ref == "":
		d.offer.SetText(d.c.t("ui.day.pick.walk_in", map[string]string{"name": r.Name}))
		d.offer.Disable()
	default:
		d.offer.SetText(d.c.t("ui.day.checkin", map[string]string{"name": r.Name, "ref": r.Ref}))
		d.offer.Enable()
	}
}

// checkInPicked checks in the selected person as if their short reference
// had been typed in the code field: the same verdicts, recorded as a
// manual check-in, shown on the card. It reports false when nobody is
// selected (or a walk-in, who has no reference).
func (d *dayList) checkInPicked() bool {
	r, _, ok := d.pickedRow()
	if !ok || r.Ref == "" {
		return false
	}
	d.withdraw()
	d.c.checkIn(r.Ref, d.c.desk.CheckInTyped)
	return true
}

// move selects the row step rows away from the selected one (the first
// when none is), and shows it.
func (d *dayList) move(step int) {
	if len(d.shown) == 0 {
		return
	}
	_, i, ok := d.pickedRow()
	switch {
	case !ok:
		i = 0
	default:
		i = min(max(i+step, 0), len(d.shown)-1)
	}
	d.list.Select(i)
	d.list.ScrollTo(i)
}

func (d *dayList) newRow() fyne.CanvasObject {
	slot := widget.NewLabelWithStyle("00:00", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	kind := widget.NewLabel("")
	kind.Truncation = fyne.TextTruncateEllipsis // "Fără programare" would run into the name
	name := widget.NewLabel("")
	name.Truncation = fyne.TextTruncateEllipsis
	state := widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	kindCell := container.NewGridWrap(fyne.NewSize(110, kind.MinSize().Height), kind)
	ticket := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true, Bold: true})
	ticketCell := container.NewGridWrap(fyne.NewSize(widget.NewLabelWithStyle("D-0000", fyne.TextAlignLeading, ticket.TextStyle).MinSize().Width, kind.MinSize().Height), ticket)
	return container.NewBorder(nil, nil, container.NewHBox(slot, kindCell, ticketCell), state, name)
}

func (d *dayList) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(d.shown) {
		return
	}
	r := d.shown[i]
	box := o.(*fyne.Container)
	name, left, state := box.Objects[0].(*widget.Label), box.Objects[1].(*fyne.Container), box.Objects[2].(*widget.Label)
	setText(left.Objects[0].(*widget.Label), r.SlotStart.Format("15:04"))
	kind := d.c.t("kind."+string(r.Kind), nil)
	if r.Status == store.WalkIn {
		kind = d.c.t("status.walk_in", nil)
	}
	setText(left.Objects[1].(*fyne.Container).Objects[0].(*widget.Label), kind)
	setText(left.Objects[2].(*fyne.Container).Objects[0].(*widget.Label), r.Ticket) // "" before arriving
	who := r.Name
	if r.Ref != "" {
		who += " · " + r.Ref // what the clerk types when the code cannot be scanned
	}
	setText(name, who)
	text, importance := d.c.t("state."+string(r.State), nil), stateImportance[r.State]
	if r.Status == store.Cancelled || r.Status == store.Replaced {
		text, importance = d.c.t("status."+string(r.Status), nil), widget.DangerImportance
	}
	if r.Duplicate() {
		text, importance = d.c.t("ui.day.duplicate", map[string]string{"state": text, "n": strconv.Itoa(r.Arrivals)}), widget.DangerImportance
	}
	if state.Text != text || state.Importance != importance {
		state.Text, state.Importance = text, importance
		state.Refresh()
	}
}

// setText sets a label's text, and leaves it alone when it has it already:
// the list is read again at every scan, and laying out a truncated text
// anew costs milliseconds a row.
func setText(l *widget.Label, text string) {
	if l.Text != text {
		l.SetText(text)
	}
}

var stateImportance = map[store.State]widget.Importance{
	store.Expected:  widget.MediumImportance,
	store.Present:   widget.SuccessImportance,
	store.Absent:    widget.WarningImportance,
	store.Collected: widget.HighImportance,
	store.InService: widget.HighImportance,
	store.Done:      widget.LowImportance,
}

// reload reads today's bookings again.
func (d *dayList) reload() {
	rows, err := d.c.desk.Day(context.Background(), d.c.desk.Today())
	if err != nil {
		d.c.fail(err)
		return
	}
	d.all = rows
	d.apply()
	d.c.updateButtons() // "Servit" follows whom this counter serves
}

// serving reports whether this counter serves someone: called and not yet
// marked served, as the list last read says.
func (d *dayList) serving() bool {
	for _, r := range d.all {
		if r.State == store.InService && r.Last != nil && r.Last.Counter == d.c.desk.Counter {
			return true
		}
	}
	return false
}

// apply filters the rows by state and name.
func (d *dayList) apply() {
	q := i18n.Fold(d.search.Text) // clerks type names without diacritics
	d.shown = d.shown[:0]
	for _, r := range d.all {
		if !shows(d.choice, r) {
			continue
		}
		if q != "" && !strings.Contains(i18n.Fold(r.Name), q) && !refStarts(r.Ref, q) && !ticketIs(r.Ticket, q) {
			continue
		}
		d.shown = append(d.shown, r)
	}
	d.count.SetText(d.c.t("ui.day.count", map[string]string{"shown": strconv.Itoa(len(d.shown)), "total": strconv.Itoa(len(d.all))}))
	d.list.Refresh()
	// The selection follows its person through a new filter or reading;
	// it goes when they are no longer listed.
	if _, i, ok := d.pickedRow(); ok {
		d.list.Select(i)
	} else if d.picked != "" {
		d.list.UnselectAll()
		d.unpick()
	}
}

// refStarts reports whether q, as typed in the search box, is the start
// of the short reference ref (three characters at least).
func refStarts(ref, q string) bool {
	q = strings.NewReplacer(" ", "", "-", "").Replace(q)
	return len(q) >= 3 && strings.HasPrefix(strings.ToLower(ref), q)
}

// ticketIs reports whether q, as typed in the search box, is the ticket
// (d-17, d017, D-017: the letter and the number).
func ticketIs(ticket, q string) bool {
	letter, n, err := store.ParseTicket(ticket)
	if err != nil {
		return false
	}
	q = strings.NewReplacer(" ", "", "-", "").Replace(strings.ToUpper(q))
	num, ok := strings.CutPrefix(q, strings.ToUpper(letter))
	m, err := strconv.ParseInt(num, 10, 64)
	return ok && err == nil && m == n
}

// withTicket puts a person's ticket before their name (D-017 · Bălan Ana),
// as the supervisor's rows show them; the name alone without one.
func withTicket(ticket, name string) string {
	if ticket == "" {
		return name
	}
	return ticket + " · " + name
}
