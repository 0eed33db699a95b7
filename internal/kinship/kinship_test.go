package kinship_test

import (
	"errors"
	"testing"
	"time"

	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/kinship"
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

func TestEligibleUntil(t *testing.T) {
	now := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ birth, want string }{
		{"20100301", "2027-02-28T16:00:00Z"}, // 17th birthday, midnight Beijing
		{"20120229", "2029-02-28T16:00:00Z"}, // born 29 Feb: 1 March 2029
		{"19500101", ""},                     // an older person: no end
	} {
		got := kinship.EligibleUntil(id(t, tc.birth), now)
		if s := ""; !got.IsZero() {
			s = got.Format(time.RFC3339)
			if s != tc.want {
				t.Errorf("EligibleUntil(born %s) = %s, want %s", tc.birth, s, tc.want)
			}
		} else if tc.want != "" {
			t.Errorf("EligibleUntil(born %s) = zero, want %s", tc.birth, tc.want)
		}
	}
	// The day before the 17th birthday the child is still 16 (CheckAge
	// agrees), on the day not.
	end := kinship.EligibleUntil(id(t, "20100301"), now)
	if kinship.CheckAge(id(t, "20100301"), end.Add(-time.Second)) != nil || kinship.CheckAge(id(t, "20100301"), end) == nil {
		t.Errorf("EligibleUntil and CheckAge disagree at %v", end)
	}
}

func TestCheckGuardian(t *testing.T) {
	now := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
	if err := kinship.CheckGuardian(id(t, "20150101"), now, kinship.MinGuardianAge); !errors.Is(err, kinship.ErrGuardianAge) {
		t.Errorf("CheckGuardian(11-year-old) = %v, want ErrGuardianAge", err)
	}
	if err := kinship.CheckGuardian(id(t, "20081123"), now, 18); err != nil {
		t.Errorf("CheckGuardian(18 today) = %v", err)
	}
	if err := kinship.CheckGuardian(id(t, "20081124"), now, 18); err == nil {
		t.Errorf("CheckGuardian(18 tomorrow) = nil, want an error")
	}
}
