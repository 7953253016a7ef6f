package mail

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestDir writes messages as the demo does and reads them back as the demo
// mailbox does: private files, newest first, decoded subjects, nothing
// outside the folder.
func TestDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "posta")
	d := Dir{Path: dir}
	if es, err := d.List(); err != nil || len(es) != 0 {
		t.Fatalf("a missing folder lists %v, %v", es, err)
	}
	var raws [][]byte
	for _, subject := range []string{"Confirmă rezervarea", "Rezervarea dumneavoastră", "Buletinul e gata"} {
		m := testMessage("ana@example.ro", subject)
		m.Attachments = []Attachment{{Name: "rezervare.png", ContentType: "image/png", Data: png}}
		raw, err := m.Bytes(time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Send(context.Background(), "programari@example.ro", []string{"ana@example.ro"}, raw); err != nil {
			t.Fatal(err)
		}
		raws = append(raws, raw)
	}
	es, err := d.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 3 || es[0].Subject != "Buletinul e gata" || es[2].Subject != "Confirmă rezervarea" ||
		es[0].To != "ana@example.ro" || es[0].From != "SPCLEP Dumbrăvița <programari@example.ro>" || es[0].Date.IsZero() {
		t.Fatalf("listed %+v", es)
	}
	for i, e := range es {
		fi, err := os.Stat(filepath.Join(dir, e.Name))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, %v", e.Name, fi.Mode(), err)
		}
		raw, err := d.Read(e.Name)
		if err != nil || !bytes.Equal(raw, raws[2-i]) {
			t.Errorf("read %s: %v", e.Name, err)
		}
	}
	p, err := Parse(raws[0])
	if err != nil || p.Text != "Bună ziua." || len(p.Attachments) != 1 || p.Attachments[0].Name != "rezervare.png" ||
		!bytes.Equal(p.Attachments[0].Data, png) {
		t.Errorf("parsed %+v, %v", p, err)
	}

	// Nothing outside the folder, nothing that List would not give.
	outside := filepath.Join(t.TempDir(), "secret.eml")
	os.WriteFile(outside, []byte("Subject: secret\r\n\r\nx"), 0o600)
	if err := os.Symlink(outside, filepath.Join(dir, "link.eml")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, ".hidden.eml"), []byte("x"), 0o600)
	for _, name := range []string{"../secret.eml", outside, "link.eml", ".hidden.eml", "a/b.eml", "", ".", "..",
		es[0].Name + "/", "x.txt", `..\secret.eml`} {
		if raw, err := d.Read(name); err == nil {
			t.Errorf("Read(%q) gave %q", name, raw)
		}
	}
	if es, err := d.List(); err != nil || len(es) != 3 {
		t.Errorf("after adding a link and a hidden file, List gives %d, %v", len(es), err)
	}
}
