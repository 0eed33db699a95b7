package render

import "unicode"

// maxHolderIDChars is the most characters of an ID number that a holder
// line may show: the last four, as in "张*华 **************002X".
const maxHolderIDChars = 4

// checkHolderPrivacy applies the holder-line policy that every sheet, batch
// card and phone card enforces: a holder line shows at most
// maxHolderIDChars characters of an ID number. A line that shows more is
// refused with a *holderIDError, which wraps ErrHolderShowsID; the error
// never repeats the line. The empty line is allowed.
//
// A number is a run of digits, masking stars and check characters (X after
// a digit or a star), which may be broken by single spaces or hyphens, so
// "1101 0519 4912 3100 2X" counts as one number showing 18 characters and
// "1101**********002X" as one showing 8. A birth date written 2019-01-01
// shows 8 and is refused too; a class ("3班") shows 1.
func checkHolderPrivacy(holder string) error {
	if n := holderIDChars(holder); n > maxHolderIDChars {
		return &holderIDError{Shown: n}
	}
	return nil
}

// holderIDChars returns the largest number of visible characters (digits
// and check characters, not stars) of any number in s.
func holderIDChars(s string) int {
	r := []rune(s)
	most, shown := 0, 0
	inNumber := false // the previous rune belongs to a number
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch {
		case unicode.IsDigit(c):
			shown++
			inNumber = true
		case isMask(c):
			inNumber = true
		case (c == 'X' || c == 'x' || c == 'Ｘ' || c == 'ｘ') && inNumber:
			shown++
		case (c == ' ' || c == '-' || c == '　') && inNumber && i+1 < len(r) && (unicode.IsDigit(r[i+1]) || isMask(r[i+1])):
			// A single separator inside a number: the number goes on.
		default:
			inNumber, shown = false, 0
		}
		most = max(most, shown)
	}
	return most
}

func isMask(c rune) bool {
	switch c {
	case '*', '＊', '×', '•', '●', '·':
		return true
	}
	return false
}
