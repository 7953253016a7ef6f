package localeenv

import "testing"

func TestFix(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		set  bool   // whether LANGUAGE is set
		lang string // to what, when not "en"
	}{
		{"no locale", nil, false, ""},
		{"LANG=C", map[string]string{"LANG": "C"}, false, ""},
		{"LANG=POSIX", map[string]string{"LANG": "POSIX"}, false, ""},
		{"LANG=C.UTF-8", map[string]string{"LANG": "C.UTF-8"}, true, ""},
		{"LANG=C.utf8", map[string]string{"LANG": "C.utf8"}, true, ""},
		{"LANG=POSIX.UTF-8", map[string]string{"LANG": "POSIX.UTF-8"}, true, ""},
		{"LANG=C@euro", map[string]string{"LANG": "C@euro"}, true, ""},
		{"LANG=ro_RO.UTF-8", map[string]string{"LANG": "ro_RO.UTF-8"}, false, ""},
		{"LANG=Ca_ES", map[string]string{"LANG": "ca_ES.UTF-8"}, false, ""},
		{"LC_ALL=C.UTF-8 wins over LANG", map[string]string{"LC_ALL": "C.UTF-8", "LANG": "ro_RO.UTF-8"}, true, ""},
		{"LC_ALL=ro wins over LANG=C.UTF-8", map[string]string{"LC_ALL": "ro_RO.UTF-8", "LANG": "C.UTF-8"}, false, ""},
		{"LC_ALL=C wins over LC_MESSAGES", map[string]string{"LC_ALL": "C", "LC_MESSAGES": "C.UTF-8"}, false, ""},
		{"LC_MESSAGES=C.UTF-8 wins over LANG", map[string]string{"LC_MESSAGES": "C.UTF-8", "LANG": "en_US.UTF-8"}, true, ""},
		{"LANGUAGE already set", map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "ro:en"}, false, ""},
		{"LANG=ro_RO@euro", map[string]string{"LANG": "ro_RO@euro"}, true, "ro_RO"},
		{"LANG=sr_RS.UTF-8@latin", map[string]string{"LANG": "sr_RS.UTF-8@latin"}, true, "sr_RS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range tt.env {
				env[k] = v
			}
			set := Fix(func(k string) string { return env[k] },
				func(k, v string) error { env[k] = v; return nil })
			if set != tt.set {
				t.Fatalf("Fix = %v, want %v", set, tt.set)
			}
			want := tt.env["LANGUAGE"]
			if tt.set {
				want = "en"
				if tt.lang != "" {
					want = tt.lang
				}
			}
			if env["LANGUAGE"] != want {
				t.Fatalf("LANGUAGE = %q, want %q", env["LANGUAGE"], want)
			}
		})
	}
}
