package kinship_test

import (
	"testing"
	"time"

	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/kinship"
)

func mustParseID(t *testing.T, s string) identity.ID {
	t.Helper()
	id, err := identity.ParseID(s, time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatalf("ParseID(%q) = %v, want nil", s, err)
	}
	return id
}

func TestBirthDate(t *testing.T) {
	id := mustParseID(t, "11010519491231002X")
	want := time.Date(1949, 12, 31, 0, 0, 0, 0, identity.Beijing())
	if got := kinship.BirthDate(id); !got.Equal(want) {
		t.Fatalf("BirthDate(%s) = %v, want %v", id, got, want)
	}
	if got := kinship.BirthDate(identity.ID{}); !got.IsZero() {
		t.Fatalf("BirthDate(ID{}) = %v, want zero", got)
	}
}

func TestAgeOn(t *testing.T) {
	june := mustParseID(t, "61010319900615123X") // born 15 June 1990
	leap := mustParseID(t, "610103199602290017") // born 29 February 1996
	bj := identity.Beijing()
	tests := []struct {
		id   identity.ID
		at   time.Time
		want int
	}{
		{june, time.Date(2020, 6, 14, 23, 59, 59, 0, bj), 29},
		{june, time.Date(2020, 6, 15, 0, 0, 0, 0, bj), 30},
		{june, time.Date(2020, 6, 14, 15, 59, 59, 0, time.UTC), 29}, // 14 June in Beijing
		{june, time.Date(2020, 6, 14, 16, 0, 0, 0, time.UTC), 30},   // 15 June in Beijing
		{june, time.Date(2020, 5, 20, 0, 0, 0, 0, bj), 29},
		{june, time.Date(2020, 7, 1, 0, 0, 0, 0, bj), 30},
		{june, time.Date(1990, 6, 15, 0, 0, 0, 0, bj), 0},
		{leap, time.Date(2023, 2, 28, 12, 0, 0, 0, bj), 26},
		{leap, time.Date(2023, 3, 1, 0, 0, 0, 0, bj), 27}, // common year: older on 1 March
		{leap, time.Date(2024, 2, 28, 12, 0, 0, 0, bj), 27},
		{leap, time.Date(2024, 2, 29, 0, 0, 0, 0, bj), 28},
	}
	for _, tt := range tests {
		if got := kinship.AgeOn(tt.id, tt.at); got != tt.want {
			t.Fatalf("AgeOn(%s, %v) = %d, want %d", tt.id, tt.at, got, tt.want)
		}
	}
}
