package kinship

import (
	"time"

	"github.com/offcode/offcode/identity"
)

// BirthDate returns the birth date encoded in id (GB 11643-1999), at
// midnight Beijing time, or the zero time for the zero ID.
func BirthDate(id identity.ID) time.Time {
	n := id.Number()
	if len(n) != 18 {
		return time.Time{}
	}
	return time.Date(atoi(n[6:10]), time.Month(atoi(n[10:12])), atoi(n[12:14]), 0, 0, 0, 0, identity.Beijing())
}

// AgeOn returns id's age in whole years on the day t falls on in Beijing
// time. A person born on 29 February turns a year older on 1 March in
// common years.
func AgeOn(id identity.ID, t time.Time) int {
	birth := BirthDate(id)
	t = t.In(identity.Beijing())
	age := t.Year() - birth.Year()
	if t.Month() < birth.Month() || (t.Month() == birth.Month() && t.Day() < birth.Day()) {
		age--
	}
	return age
}

// atoi converts the digits of s, which ParseID has checked.
func atoi(s string) int {
	n := 0
	for _, c := range []byte(s) {
		n = n*10 + int(c-'0')
	}
	return n
}
