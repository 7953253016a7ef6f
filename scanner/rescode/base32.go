package rescode

// alphabet is the code's Base32 digits: the characters that every keyboard
// layout a counter PC may have (Romanian standard and programmers, US,
// Hungarian, German) types from the same key, whatever the case. It leaves
// out 0 (Hungarian puts ö there), Y and Z (swapped on German and Hungarian
// layouts), all punctuation (moved about on all but US), and O, which people
// confuse with 0 when they type a code by hand. QR codes store these
// characters in alphanumeric mode, 5.5 bits each.
const alphabet = "123456789ABCDEFGHIJKLMNPQRSTUVWX"

var digitOf = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = int8(i)
		t[alphabet[i]|0x20] = int8(i) // lower case: Caps Lock
	}
	return t
}()

// encode writes b as Base32 digits, 5 bits each, most significant first; the
// last digit is padded with zero bits.
func encode(b []byte) string {
	out := make([]byte, 0, (len(b)*8+4)/5)
	var acc uint32
	bits := 0
	for _, x := range b {
		acc = acc<<8 | uint32(x)
		bits += 8
		for bits >= 5 {
			bits -= 5
			out = append(out, alphabet[acc>>uint(bits)&31])
		}
	}
	if bits > 0 {
		out = append(out, alphabet[acc<<uint(5-bits)&31])
	}
	return string(out)
}

// decode reads Base32 digits back. It refuses a character outside the
// alphabet (ok false) and reports padding bits that are not zero, which a
// code cut short has, as not exact: every code has exactly one spelling.
func decode(s string) (b []byte, ok, exact bool) {
	out := make([]byte, 0, len(s)*5/8)
	var acc uint32
	bits := 0
	for i := 0; i < len(s); i++ {
		d := digitOf[s[i]]
		if d < 0 {
			return nil, false, false
		}
		acc = acc<<5 | uint32(d)
		bits += 5
		if bits >= 8 {
			bits -= 8
			out = append(out, byte(acc>>uint(bits)))
		}
	}
	return out, true, bits < 5 && acc&(1<<uint(bits)-1) == 0
}
