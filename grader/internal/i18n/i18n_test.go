package i18n

import "testing"

func TestFromLocale(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want Lang
	}{
		{"none", nil, EN},
		{"LANG Korean", map[string]string{"LANG": "ko_KR.UTF-8"}, KO},
		{"LANG English", map[string]string{"LANG": "en_US.UTF-8"}, EN},
		{"LC_MESSAGES before LANG", map[string]string{"LC_MESSAGES": "ko_KR", "LANG": "en_US"}, KO},
		{"LC_ALL before all", map[string]string{"LC_ALL": "C", "LC_MESSAGES": "ko_KR", "LANG": "ko_KR"}, EN},
		{"LC_ALL Korean", map[string]string{"LC_ALL": "KO_kr.utf8", "LANG": "en_US"}, KO},
	}
	for _, tt := range tests {
		if got := FromLocale(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("%s: FromLocale(%v) = %q, want %q", tt.name, tt.env, got, tt.want)
		}
	}
}

func TestChoose(t *testing.T) {
	korean := func(string) string { return "ko_KR.UTF-8" }
	if got, err := Choose("", korean); err != nil || got != KO {
		t.Errorf(`Choose("", Korean locale) = %q, %v, want ko`, got, err)
	}
	if got, err := Choose("EN", korean); err != nil || got != EN {
		t.Errorf(`Choose("EN", Korean locale) = %q, %v, want en`, got, err)
	}
	if _, err := Choose("fr", korean); err == nil {
		t.Error(`Choose("fr", …) = nil error, want an unknown language`)
	}
}
