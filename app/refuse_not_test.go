package app

import "testing"

// TestRefuseSaysWhyNot: a refusal that makes no sense is not recorded and
// the card says why in the clerk's language (issue 14).
func TestRefuseSaysWhyNot(t *testing.T) {
	tests := []struct {
		name, who string
		hh, mm    int
		want      string
	}{
		{"a pickup", "Georgescu Paul", 10, 46, "Această programare nu poate fi refuzată: o ridicare nu se refuză; cartea se predă sau nu."},
		{"an 08:30 no-show at 11:11", "Popescu Andrei", 11, 11, "Această programare nu poate fi refuzată: persoana nu s-a prezentat (neprezentare), ceea ce nu este un refuz."},
		{"a cancelled booking", "Moldovan Radu", 10, 31, "Această programare nu poate fi refuzată: programarea este anulată sau a fost înlocuită."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.at(tt.hh, tt.mm)
			f.c.Refuse(f.bookingID(tt.who), "data_mismatch")
			if got := f.c.card.title.Text; got != tt.want {
				t.Fatalf("card: %q, want %q", got, tt.want)
			}
		})
	}
}
