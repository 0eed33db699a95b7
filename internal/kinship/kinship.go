// Package kinship holds the rules for kinship codes (亲属码): who may be
// bound to whom, and for how long, as the Xi'an health code service ran them
// (source: the Xi'an notice 《西安市民一码通在支付宝端小程序上线新功能啦》).
// They are service policy, not part of the code format: a kinship code
// differs from a personal one only by its kind claim (SPEC.md §4.2).
//
// A guardian who has a code of their own binds a relative who cannot easily
// use a phone: a child aged 0 to 16 or an older person aged 60 and over on
// the day of binding. A guardian binds at most 8 relatives, a relative has at
// most 3 guardians (both parents may bind the same child), and a binding can
// be removed only 24 hours after it was made.
package kinship

import (
	"errors"
	"fmt"
	"time"

	"github.com/offcode/offcode/identity"
)

// The rules.
const (
	MaxRelatives = 8              // relatives per guardian
	MaxGuardians = 3              // guardians per relative
	MaxChildAge  = 16             // a child is aged 0..MaxChildAge
	MinElderAge  = 60             // an older person is aged MinElderAge or more
	MinAge       = 24 * time.Hour // a binding can be removed this long after it was made
	// MinGuardianAge is the age a guardian must have reached: an adult.
	// The service may be configured with another.
	MinGuardianAge = 18
)

// ErrAge is returned by CheckAge for a relative who is neither a child nor
// an older person.
var ErrAge = errors.New("kinship: relative must be aged 0-16 or 60 and over")

// ErrSamePerson is returned by CheckPair when guardian and relative are one
// person.
var ErrSamePerson = errors.New("kinship: guardian and relative are the same person")

// CheckAge reports whether relative may be bound at time now: aged 0 to 16,
// or 60 and over, on that day in Beijing time. The error wraps ErrAge and
// says the age.
func CheckAge(relative identity.ID, now time.Time) error {
	age := AgeOn(relative, now)
	if age <= MaxChildAge || age >= MinElderAge {
		return nil
	}
	return fmt.Errorf("%w; the relative is %d on %s (Beijing time)", ErrAge, age, now.In(identity.Beijing()).Format("2006-01-02"))
}

// ErrGuardianAge is returned by CheckGuardian for a guardian who is not an
// adult.
var ErrGuardianAge = errors.New("kinship: guardian must be an adult")

// CheckGuardian reports whether guardian is at least minAge on now's day in
// Beijing time; the error wraps ErrGuardianAge and says the age.
func CheckGuardian(guardian identity.ID, now time.Time, minAge int) error {
	if age := AgeOn(guardian, now); age < minAge {
		return fmt.Errorf("%w (%d or over); the guardian is %d", ErrGuardianAge, minAge, age)
	}
	return nil
}

// CheckPair checks the pair of a binding request: two different people, and
// a relative of an eligible age at now.
func CheckPair(guardian, relative identity.ID, now time.Time) error {
	if guardian == relative {
		return ErrSamePerson
	}
	return CheckAge(relative, now)
}

// EligibleUntil returns when a relative bound at now stops being eligible
// for kinship codes: midnight Beijing time on their 17th birthday for a
// child, zero (never) for an older person. A child born on 29 February
// turns 17 on 1 March.
func EligibleUntil(relative identity.ID, now time.Time) time.Time {
	if AgeOn(relative, now) >= MinElderAge {
		return time.Time{}
	}
	b := BirthDate(relative)
	end := time.Date(b.Year()+MaxChildAge+1, b.Month(), b.Day(), 0, 0, 0, 0, identity.Beijing())
	if end.Day() != b.Day() { // 29 February in a common year normalised to 1 March
		end = time.Date(b.Year()+MaxChildAge+1, time.March, 1, 0, 0, 0, 0, identity.Beijing())
	}
	return end.UTC()
}
