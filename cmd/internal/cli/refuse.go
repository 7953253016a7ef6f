package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/rules"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// refuse sends away the person of a booking (a code, a short reference or
// a name, as check takes them) with a cancellation reason: --reason
// missing_documents or data_mismatch. The booking is cancelled: they must
// book anew.
func (e *env) refuse(args []string) error {
	pos, err := e.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || !rules.IsRefusalReason(e.reason) {
		return usageError{fmt.Errorf("refuse CODE|REF|NAME --reason %s", strings.Join(rules.RefusalReasons(), "|"))}
	}
	d, err := e.open()
	if err != nil {
		return err
	}
	defer d.Close()
	v, err := d.CheckTyped(e.ctx, pos[0])
	if err != nil {
		return err
	}
	if v.Booking != nil {
		v, err = d.Refuse(e.ctx, v.Booking.ID, e.reason)
	}
	if nr := (desk.NotRefusable{}); errors.As(err, &nr) { // said in the user's language, with why
		e.code = ExitRefused
		fmt.Fprintln(e.out, i18n.T(e.lang, "refuse.not", map[string]string{"why": e.t("refuse.not." + nr.Why)}))
		return nil
	}
	if err != nil {
		return err
	}
	if v.Name != verdict.Turned { // no single booking found: say why, as check does
		e.code = ExitRefused
	}
	return e.printVerdict(v)
}
