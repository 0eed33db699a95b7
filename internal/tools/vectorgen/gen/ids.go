package gen

import (
	"fmt"
	"time"
)

// ID number vectors (SPEC.md §5.1, §10.4): an ID number as typed, a clock,
// and the input error or normalised number validation must give.

type idVector struct {
	name, desc string
	input      string
	now        time.Time
	err        string // "" when the number is valid
	normalised string
}

type idFile struct {
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Input       string     `json:"input"`
	Now         string     `json:"now"`
	NowUnix     int64      `json:"now_unix"`
	Expected    idExpected `json:"expected"`
}

type idExpected struct {
	Error      *string `json:"error"`
	Normalised *string `json:"normalised"`
}

// withCheck appends the GB 11643-1999 check character to 17 digits.
func withCheck(first17 string) string {
	w := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	s := 0
	for i := range 17 {
		s += int(first17[i]-'0') * w[i]
	}
	return first17 + string("10X98765432"[s%11])
}

// wrongCheck returns first17 with a check character that is not its own.
func wrongCheck(first17 string) string {
	good := withCheck(first17)
	if good[17] == '0' {
		return first17 + "1"
	}
	return first17 + "0"
}

func idCases() []idVector {
	a := personA.id // 110105198503071230
	// bornOn is a valid number of a Beijing address born on date (YYYYMMDD).
	bornOn := func(date string) string { return withCheck("110105" + date + "123") }
	ok := func(name, desc, input, want string) idVector {
		return idVector{name: name, desc: desc, input: input, now: now0, normalised: want}
	}
	bad := func(name, desc, input, reason string) idVector {
		return idVector{name: name, desc: desc, input: input, now: now0, err: reason}
	}
	boundary := bornOn("20261101")
	return []idVector{
		ok("valid_plain", "A valid 18-character number: it is its own normalised form.", a, a),
		ok("valid_lower_case_x", "A valid number whose check character is typed as lower-case x: normalised to X.", "61011319720229002x", personC.id),
		ok("valid_ascii_white_space", "A valid number with a tab and a space before it and CR LF after it: removed (SPEC.md §5.1 step 1).", "\t "+a+"\r\n", a),
		ok("valid_ideographic_space", "A valid number after an ideographic space U+3000, as a Chinese input method types it: White_Space, removed.", "\u3000"+a, a),
		ok("valid_no_break_space", "A valid number followed by a no-break space U+00A0, as copied from a web page: White_Space, removed.", a+"\u00a0", a),
		ok("valid_em_space", "A valid number between em spaces U+2003: White_Space, removed.", "\u2003"+a+"\u2003", a),
		bad("length_zero_width_space", "A valid number followed by a zero-width space U+200B, which is not White_Space: "+
			"it stays, and the input is 21 octets: length.", a+"\u200b", "length"),
		bad("length_byte_order_mark", "A valid number after a byte order mark U+FEFF, which is not White_Space: 21 octets: length.", "\ufeff"+a, "length"),
		bad("length_inner_space", "A valid number with a space after the address code: inner white space is not removed: 19 octets: length.", a[:6]+" "+a[6:], "length"),
		bad("length_full_width_digits", "A valid number typed in full-width digits (U+FF10..U+FF19): no conversion, 54 octets: length.", fullWidth(a), "length"),
		bad("length_17", "The first 17 characters of a valid number: length.", a[:17], "length"),
		bad("length_19", "A valid number with a digit appended: length.", a+"0", "length"),
		bad("length_15_first_generation", "A 15-digit first-generation number: not converted (SPEC.md §5.1 step 1): length.", "110105850307123", "length"),
		bad("length_empty", "Only white space: nothing is left: length.", " \u3000 ", "length"),
		bad("characters_letter", "Position 5 is the letter A instead of a digit: characters (checked before the check character).", a[:4]+"A"+a[5:], "characters"),
		bad("characters_x_not_last", "Position 17 is X, allowed only in position 18: characters.", a[:16]+"X"+a[17:], "characters"),
		bad("characters_last_lower_y", "Position 18 is y, neither a digit nor X: characters.", a[:17]+"y", "characters"),
		bad("check_digit_wrong", "A number whose 18th character is a digit but not its check character: check digit.", wrongCheck(a[:17]), "check_digit"),
		bad("check_digit_x_for_digit", "A number whose check character should be 0 but is X: check digit.", a[:17]+"X", "check_digit"),
		bad("birth_date_1899", "Born 1899-12-31, with a correct check character: before 1900: birth date.", bornOn("18991231"), "birth_date"),
		ok("valid_born_1900", "Born 1900-01-01, the earliest date allowed, with a correct check character.", bornOn("19000101"), bornOn("19000101")),
		bad("birth_date_29_february_common_year", "Born 1973-02-29, which does not exist (1973 is a common year): birth date.", bornOn("19730229"), "birth_date"),
		ok("valid_born_29_february_leap_year", "Born 2000-02-29 (2000 is a leap year): valid.", bornOn("20000229"), bornOn("20000229")),
		bad("birth_date_month_13", "Birth month 13: birth date.", bornOn("19851307"), "birth_date"),
		bad("birth_date_day_00", "Birth day 00: birth date.", bornOn("19850300"), "birth_date"),
		bad("birth_date_future", "Born 2027-01-01, after the clock (2026-11-01): birth date.", bornOn("20270101"), "birth_date"),
		{name: "birth_date_tomorrow_in_china", desc: "Born 2026-11-01; the clock is 2026-10-31T15:59:59Z, which is 23:59:59 on 31 October " +
			"in China Standard Time: the birth date is tomorrow there, although it is already 1 November in UTC+9 and later zones: birth date.",
			input: boundary, now: time.Date(2026, 10, 31, 15, 59, 59, 0, time.UTC), err: "birth_date"},
		{name: "valid_born_today_in_china", desc: "Born 2026-11-01; the clock is 2026-10-31T16:00:00Z, which is 00:00 on 1 November in " +
			"China Standard Time (UTC+8): born today, allowed, although it is still 31 October in UTC.",
			input: boundary, now: time.Date(2026, 10, 31, 16, 0, 0, 0, time.UTC), normalised: boundary},
	}
}

func fullWidth(s string) string {
	out := make([]rune, 0, len(s))
	for _, c := range s {
		out = append(out, c-'0'+'\uff10')
	}
	return string(out)
}

func (v *idVector) marshal() ([]byte, error) {
	if !nameRE.MatchString(v.name) || v.desc == "" {
		return nil, fmt.Errorf("gen: id vector %q: bad name or no description", v.name)
	}
	f := idFile{Name: v.name, Description: v.desc, Input: v.input,
		Now: v.now.UTC().Format(time.RFC3339Nano), NowUnix: v.now.Unix()}
	if v.err != "" {
		f.Expected.Error = &v.err
	} else {
		f.Expected.Normalised = &v.normalised
	}
	return marshalJSON(f)
}

// GenerateIDs returns every ID number vector, by file name.
func GenerateIDs() (map[string][]byte, error) {
	files := make(map[string][]byte)
	for _, v := range idCases() {
		b, err := v.marshal()
		if err != nil {
			return nil, err
		}
		if _, dup := files[v.name+".json"]; dup {
			return nil, fmt.Errorf("gen: two id vectors named %s", v.name)
		}
		files[v.name+".json"] = b
	}
	return files, nil
}
