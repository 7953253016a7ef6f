package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// fileState is what must not change about a folder that is only read: each
// file's size, modification time and content.
func fileState(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %d %d %x\n", e.Name(), st.Size(), st.ModTime().UnixNano(), sha256.Sum256(data))
	}
	return b.String()
}

// ghiseuRun runs the binary and returns its exit code and standard output;
// cred, when not nil, runs it as another user.
func ghiseuRun(t *testing.T, bin string, cred *syscall.Credential, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "GHISEU_LANG=en")
	if cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("ghiseu %v: %v", args, err)
	}
	if code := cmd.ProcessState.ExitCode(); code > 1 {
		t.Fatalf("ghiseu %v: exit %d: %s", args, code, errOut.String())
	}
	return cmd.ProcessState.ExitCode(), out.String()
}

// TestReadOnlyCopy copies a counter's database after a check-in into a
// folder nobody may write to (file 0444, folder 0555) and looks at it with
// check, list, conflicts and report: they answer, derive the no-shows at
// their clock, and change nothing — no byte, no modification time, no WAL
// or shared-memory file. As root the permissions do not hold, so opening
// read-only is what must guarantee it; when the tests run as root, the
// commands run once more as the unprivileged user nobody, for whom the
// folder really is read-only.
func TestReadOnlyCopy(t *testing.T) {
	bin := buildBinary(t)
	live := filepath.Join(t.TempDir(), "g.db")
	ghiseuRun(t, bin, nil, "demo", "--db", live)
	var rows []struct{ Name, Code, State string }
	_, out := ghiseuRun(t, bin, nil, "list", "--json", "--db", live, "--at", "08:00")
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	for _, r := range rows {
		codes[r.Name] = r.Code
	}
	if code, out := ghiseuRun(t, bin, nil, "checkin", codes["Popescu Andrei"], "--db", live, "--at", "08:35"); code != 0 {
		t.Fatalf("checkin: %s", out)
	}

	dir := filepath.Join(t.TempDir(), "copy")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(live) // the last writer closed it: its WAL is checkpointed and gone
	if err != nil {
		t.Fatal(err)
	}
	copyDB := filepath.Join(dir, "g.db")
	if err := os.WriteFile(copyDB, data, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	before := fileState(t, dir)

	look := func(t *testing.T, cred *syscall.Credential) {
		if code, out := ghiseuRun(t, bin, cred, "check", codes["Popescu Andrei"], "--db", copyDB, "--at", "08:40", "--json"); code != 1 || !strings.Contains(out, `"already_arrived"`) {
			t.Errorf("check of the arrived person: exit %d\n%s", code, out)
		}
		if code, out := ghiseuRun(t, bin, cred, "check", codes["Lupu Sorin"], "--db", copyDB, "--at", "09:30", "--json"); code != 1 || !strings.Contains(out, `"no_show_recorded"`) {
			t.Errorf("check of a no-show: exit %d\n%s", code, out)
		}
		_, out := ghiseuRun(t, bin, cred, "list", "--json", "--db", copyDB, "--at", "09:30")
		if !strings.Contains(out, `"state": "no_show"`) || !strings.Contains(out, `"state": "arrived"`) {
			t.Errorf("list at 09:30 shows no arrival or no no-show:\n%s", out)
		}
		ghiseuRun(t, bin, cred, "conflicts", "--db", copyDB)
		if _, out := ghiseuRun(t, bin, cred, "report", "--json", "--db", copyDB, "--at", "13:30"); !strings.Contains(out, `"arrivals": 1`) {
			t.Errorf("report:\n%s", out)
		}
		after := fileState(t, dir)
		if !strings.HasPrefix(after, before) {
			t.Fatalf("the database changed:\nbefore %safter  %s", before, after)
		}
		if after != before {
			t.Errorf("the read-only folder changed:\nbefore %safter  %s", before, after)
		}
	}
	if os.Geteuid() == 0 {
		t.Run("as nobody", func(t *testing.T) {
			for _, p := range []string{filepath.Dir(bin), filepath.Dir(filepath.Dir(bin)), filepath.Dir(dir), filepath.Dir(filepath.Dir(dir))} {
				if err := os.Chmod(p, 0o755); err != nil { // t.TempDir's folders are 0700
					t.Fatal(err)
				}
			}
			look(t, &syscall.Credential{Uid: 65534, Gid: 65534})
		})
	}
	t.Run("as this user", func(t *testing.T) { look(t, nil) })
}
