package kinship_test

import (
	"errors"
	"testing"
	"time"

	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/kinship"
)

// id makes a valid ID number born on birth (YYYYMMDD).
func id(t *testing.T, birth string) identity.ID {
	t.Helper()
	s := "110101" + birth + "123"
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range s {
		sum += int(c-'0') * w[i]
	}
	v, err := identity.ParseID(s+string("10X98765432"[sum%11]), time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCheckAge(t *testing.T) {
	// 2026-11-23 00:30 Beijing is still 2026-11-22 in UTC: the Beijing day counts.
	now := time.Date(2026, 11, 22, 16, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		birth string
		ok    bool
	}{
		{"20261101", true},  // a baby
		{"20101123", true},  // turns 16 today
		{"20091124", true},  // 16, turns 17 tomorrow
		{"20091123", false}, // turns 17 today (Beijing)
		{"19800101", false}, // 46
		{"19661124", false}, // 59, 60 tomorrow
		{"19661123", true},  // turns 60 today (Beijing)
		{"19300101", true},  // 96
	} {
		err := kinship.CheckAge(id(t, tc.birth), now)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, kinship.ErrAge)) {
			t.Errorf("CheckAge(born %s) = %v, want ok=%v", tc.birth, err, tc.ok)
		}
	}
}

func TestCheckPair(t *testing.T) {
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	child := id(t, "20200101")
	if err := kinship.CheckPair(child, child, now); !errors.Is(err, kinship.ErrSamePerson) {
		t.Fatalf("CheckPair(same) = %v, want ErrSamePerson", err)
	}
	if err := kinship.CheckPair(id(t, "19900101"), child, now); err != nil {
		t.Fatalf("CheckPair(parent, child) = %v", err)
	}
}
