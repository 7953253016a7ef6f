package desk

import "github.com/ghiseu/ghiseu/store/rules"

// WalkInReasons are the reasons for issuance a walk-in may be registered
// for now: those of the office's services without appointment that are
// open at the desk's clock (a special situation from 08:30, a CIP or a
// residence visa from 09:00 at SPCLEP Dumbrăvița), in rules.Reasons'
// order; none outside the walk-in hours.
func (d *Desk) WalkInReasons() []string {
	return d.Cal.WalkInReasons(rules.Reasons(), d.now())
}
