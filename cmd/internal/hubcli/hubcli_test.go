package hubcli

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/ghiseu/ghiseu/scanner/rescode"
)

func run(t *testing.T, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, &out, &errb)
	return code, strings.TrimSpace(out.String()), errb.String()
}

func TestKeygenIssueVerify(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "booking.key")
	code, pubText, errOut := run(t, "keygen", "--out", keyFile)
	if code != 0 {
		t.Fatalf("keygen: %s", errOut)
	}
	if st, err := os.Stat(keyFile); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v", st.Mode(), err)
	}
	if code, _, _ := run(t, "keygen", "--out", keyFile); code == 0 {
		t.Fatal("keygen overwrote an existing key")
	}
	pub, err := base64.StdEncoding.DecodeString(pubText)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		t.Fatalf("public key %q", pubText)
	}
	pngFile := filepath.Join(dir, "code.png")
	code, text, errOut := run(t, "issue", "--key", keyFile, "--key-id", "3", "--booking", "987654321",
		"--office", "CJ-DJEP", "--slot", "2026-11-25T10:20:00+02:00", "--minutes", "15", "--kind", "pickup", "--png", pngFile)
	if code != 0 {
		t.Fatalf("issue: %s", errOut)
	}
	claims, err := rescode.Parse(text, rescode.Keyring{{ID: 3, Public: pub}})
	if err != nil {
		t.Fatal(err)
	}
	want := rescode.Claims{Version: 1, KeyID: 3, BookingID: 987654321, Office: "CJ-DJEP",
		SlotStart: time.Date(2026, 11, 25, 8, 20, 0, 0, time.UTC), SlotMinutes: 15, Kind: rescode.Pickup}
	if claims != want {
		t.Fatalf("claims %+v, want %+v", claims, want)
	}
	f, _ := os.Open(pngFile)
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
	// A drawn code, not a photo: read it as one (gozxing's finder misses
	// about one drawn code in a hundred otherwise).
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil || res.GetText() != text {
		t.Fatalf("the PNG reads %v, %v", res, err)
	}
}

func TestIssueRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "k")
	run(t, "keygen", "--out", keyFile)
	os.WriteFile(filepath.Join(dir, "bad"), []byte("nope"), 0o600)
	base := []string{"issue", "--key", keyFile, "--booking", "1", "--office", "X", "--slot", "2026-11-25T10:20:00+02:00"}
	for name, args := range map[string][]string{
		"no key":       {"issue", "--office", "X"},
		"bad key file": {"issue", "--key", filepath.Join(dir, "bad")},
		"bad slot":     append(base, "--slot", "25.11.2026 10:20"),
		"bad kind":     append(base, "--kind", "visit"),
		"long office":  append(base, "--office", strings.Repeat("X", 17)),
		"no command":   {"frobnicate"},
	} {
		if code, _, errOut := run(t, args...); code == 0 || errOut == "" {
			t.Errorf("%s: exit %d, stderr %q", name, code, errOut)
		}
	}
}

// Enrolling a counter number that works already would lock its PC out:
// it takes --replace. The string names the hub's certificate.
func TestEnrollTwice(t *testing.T) {
	dir := t.TempDir()
	db, key := filepath.Join(dir, "hub.db"), filepath.Join(dir, "hub.key")
	if code, _, errOut := run(t, "init", "--db", db, "--key", key); code != 0 {
		t.Fatal(errOut)
	}
	enroll := func(extra ...string) (int, string, string) {
		return run(t, append([]string{"enroll", "--db", db, "--counter", "2", "--url", "https://127.0.0.1:8443"}, extra...)...)
	}
	code, first, errOut := enroll()
	if code != 0 || !strings.HasPrefix(first, "ghiseu-enrol-1:") {
		t.Fatalf("first enrolment: %d %q %s", code, first, errOut)
	}
	if code, out, errOut := enroll(); code == 0 || out != "" || !strings.Contains(errOut, "--replace") {
		t.Fatalf("enrolling counter 2 again: %d %q %s", code, out, errOut)
	}
	if code, again, _ := enroll("--replace"); code != 0 || again == first {
		t.Fatalf("--replace: %d", code)
	}
	for _, bad := range []string{"http://127.0.0.1:8443", "127.0.0.1:8443"} {
		if code, _, _ := run(t, "enroll", "--db", db, "--counter", "3", "--url", bad); code == 0 {
			t.Errorf("--url %s was taken", bad)
		}
	}
}
