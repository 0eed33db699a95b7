package service

import (
	"regexp"
	"strings"
	"testing"
)

// TestValidTokenName checks the hand-written token name check against the
// regular expression it replaces, on names at and around every boundary.
func TestValidTokenName(t *testing.T) {
	re := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	names := []string{"", "a", "Z", "9", ".", "_", "-", "a.b_c-d", "a b", "a/b", "é", "aé", "a\n", "\na",
		"-a", ".a", "_a", "a.", strings.Repeat("a", 63), strings.Repeat("a", 64), strings.Repeat("a", 65),
		"x" + strings.Repeat("-", 63), "x" + strings.Repeat("-", 64), "a\x00", "ab:cd", "AZaz09"}
	for c := 0; c < 256; c++ {
		names = append(names, string([]byte{byte(c)}), "a"+string([]byte{byte(c)}))
	}
	for _, n := range names {
		if got, want := validTokenName(n), re.MatchString(n); got != want {
			t.Errorf("validTokenName(%q) = %v, want %v", n, got, want)
		}
	}
}
