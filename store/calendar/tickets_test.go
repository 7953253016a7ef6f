package calendar

import (
	"encoding/json"
	"testing"
)

func TestTicketLetters(t *testing.T) {
	tests := []struct {
		json    string
		letters [3]string // intake, pickup, walk-in
		ok      bool
	}{
		{`{}`, [3]string{"D", "R", "F"}, true},
		{`{"tickets": {"intake": "A", "walk_in": "W"}}`, [3]string{"A", "R", "W"}, true},
		{`{"tickets": {"pickup": "D"}}`, [3]string{"D", "D", "F"}, false}, // two kinds alike
		{`{"tickets": {"intake": "d"}}`, [3]string{"d", "R", "F"}, false},
		{`{"tickets": {"intake": "ABCD"}}`, [3]string{"ABCD", "R", "F"}, false},
		{`{"tickets": {"intake": "Ș"}}`, [3]string{"Ș", "R", "F"}, true},
	}
	for _, tt := range tests {
		c := Default()
		if err := json.Unmarshal([]byte(tt.json), &c); err != nil {
			t.Fatal(err)
		}
		got := [3]string{c.TicketLetter(TicketIntake), c.TicketLetter(TicketPickup), c.TicketLetter(TicketWalkIn)}
		if got != tt.letters {
			t.Errorf("%s: letters %v, want %v", tt.json, got, tt.letters)
		}
		if err := c.CheckBooking(); (err == nil) != tt.ok {
			t.Errorf("%s: check %v, want ok %v", tt.json, err, tt.ok)
		}
	}
	out, _ := json.Marshal(Default())
	var back map[string]any
	json.Unmarshal(out, &back)
	if _, ok := back["tickets"]; ok {
		t.Errorf("the default calendar writes tickets: %s", out)
	}
}
