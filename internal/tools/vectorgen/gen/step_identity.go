package gen

import (
	"fmt"
	"strings"
)

// validCases returns the vectors of one part of SPEC.md: valid codes: every colour and kind (SPEC.md §4.2).
func validCases() (vs []vector) {
	k1 := Key(1)
	add := func(v vector) { vs = append(vs, v) }
	for _, colour := range []string{"green", "yellow", "red"} {
		for _, kind := range []string{"personal", "kin"} {
			name := "valid_" + colour + "_" + kind
			c := base(name)
			c.colour = map[string]uint64{"green": 0, "yellow": 1, "red": 2}[colour]
			c.kind = map[string]uint64{"personal": 0, "kin": 1}[kind]
			add(build(name, fmt.Sprintf("A valid %s code of kind %s (colour %d, kind %d), issued one day before the validation clock for the full 7 days. "+
				"Every step passes; the verdict is valid whatever the colour.", colour, kind, c.colour, c.kind)).
				code(k1, c.payload()).expect(valid()))
		}
	}
	return vs
}

// identityCases returns the vectors of one part of SPEC.md: identity match (SPEC.md §8 step 11).
func identityCases() (vs []vector) {
	k1 := Key(1)
	add := func(v vector) { vs = append(vs, v) }
	{
		v := build("valid_id_match", "A valid code for person A, presented with person A's ID number: the identity hash matches.")
		v.code(k1, base(v.name).payload())
		v.presented = personA.id
		add(v.expect(withIdentity(valid(), true)))
	}
	{
		v := build("valid_id_match_lower_case_x", "A valid code for a person whose ID number ends in check digit X (and who was born on 29 February), "+
			"presented with a lower-case x. The verifier normalises the number to upper case before hashing, so it matches.")
		v.code(k1, base(v.name).forPerson(personC).payload())
		v.presented = strings.ToLower(personC.id)
		add(v.expect(withIdentity(valid(), true)))
	}
	{
		v := build("id_mismatch", "A valid code for person A, presented with another valid ID number (person B): "+
			"decoding, signature and window pass, the identity hash does not match.")
		v.code(k1, base(v.name).payload())
		v.presented = personB.id
		add(v.expect(withIdentity(valid(), false)))
	}
	return vs
}
