package textparse

// Chinese numerals: 零〇一二两三四五六七八九十百千万亿 and the financial forms
// 壹贰叁肆伍陆柒捌玖拾佰仟萬億.

func cnDigit(r rune) (int, bool) {
	switch r {
	case '零', '〇':
		return 0, true
	case '一', '壹':
		return 1, true
	case '二', '两', '贰', '兩':
		return 2, true
	case '三', '叁':
		return 3, true
	case '四', '肆':
		return 4, true
	case '五', '伍':
		return 5, true
	case '六', '陆':
		return 6, true
	case '七', '柒':
		return 7, true
	case '八', '捌':
		return 8, true
	case '九', '玖':
		return 9, true
	}
	return 0, false
}

func cnSmallUnit(r rune) (int, bool) {
	switch r {
	case '十', '拾':
		return 10, true
	case '百', '佰':
		return 100, true
	case '千', '仟':
		return 1000, true
	}
	return 0, false
}

func cnBigUnit(r rune) (int, bool) {
	switch r {
	case '万', '萬':
		return 10_000, true
	case '亿', '億':
		return 100_000_000, true
	}
	return 0, false
}

// isCNNumeral reports a rune that can be part of a Chinese numeral.
func isCNNumeral(r rune) bool {
	if _, ok := cnDigit(r); ok {
		return true
	}
	if _, ok := cnSmallUnit(r); ok {
		return true
	}
	_, ok := cnBigUnit(r)
	return ok
}

// maxNumber bounds every parsed number, far above any real count, so the
// arithmetic below cannot overflow.
const maxNumber = 1_000_000_000_000

// parseCNInt parses a positional Chinese numeral such as 八十, 一百零五,
// 一千二 (1200), 两万三 (23000) or 十一. ASCII digit runs may stand in for a
// digit (3万, 12万). Digit-by-digit forms (一二〇) and other malformed
// sequences are rejected. 零 alone parses as 0.
func parseCNInt(rs []rune) (int, bool) {
	const (
		tokNone = iota
		tokDigit
		tokZero
		tokSmall
		tokBig
	)
	if len(rs) == 0 {
		return 0, false
	}
	total, section := 0, 0
	digit := -1 // pending digit value, -1 when none
	lastSmall, lastBig := 0, 0
	prev, beforeDigit := tokNone, tokNone
	for i := 0; i < len(rs); {
		r := rs[i]
		if isASCIIDigit(r) {
			j, v := i, 0
			for j < len(rs) && isASCIIDigit(rs[j]) {
				v = v*10 + int(rs[j]-'0')
				if v > maxNumber {
					return 0, false
				}
				j++
			}
			if digit >= 0 || prev == tokZero && v > 9 {
				return 0, false
			}
			if v > 9 {
				// A multi-digit run is only a multiplier of 万/亿 (12万) or
				// a leading count of a small unit (12百 is not Chinese).
				if j >= len(rs) {
					return 0, false
				}
				if _, ok := cnBigUnit(rs[j]); !ok {
					return 0, false
				}
			}
			digit, beforeDigit, prev = v, prev, tokDigit
			i = j
			continue
		}
		if v, ok := cnDigit(r); ok && v == 0 {
			if prev == tokDigit || prev == tokNone && len(rs) > 1 {
				return 0, false
			}
			prev = tokZero
			i++
			continue
		} else if ok {
			if digit >= 0 {
				return 0, false
			}
			digit, beforeDigit, prev = v, prev, tokDigit
			i++
			continue
		}
		if u, ok := cnSmallUnit(r); ok {
			if digit < 0 {
				// 十 alone means 一十 at the start, after 零 or after 万.
				if u != 10 || prev == tokSmall {
					return 0, false
				}
				digit = 1
			}
			if digit > 9 || lastSmall != 0 && u >= lastSmall {
				return 0, false
			}
			section += digit * u
			digit, lastSmall, prev = -1, u, tokSmall
			i++
			continue
		}
		if b, ok := cnBigUnit(r); ok {
			if digit >= 0 {
				section += digit
				digit = -1
			}
			if section == 0 || lastBig != 0 && b >= lastBig {
				return 0, false
			}
			total += section * b
			if total > maxNumber {
				return 0, false
			}
			section, lastSmall, lastBig, prev = 0, 0, b, tokBig
			i++
			continue
		}
		return 0, false
	}
	if prev == tokZero && len(rs) > 1 {
		return 0, false // trailing 零 (一百零) is not a number
	}
	if digit >= 0 {
		switch beforeDigit {
		case tokSmall: // 一千二 = 1200, 二十三 = 23
			section += digit * (lastSmall / 10)
		case tokBig: // 一万二 = 12000
			section += digit * (lastBig / 10)
		default: // a lone digit, or after 零
			section += digit
		}
	}
	return total + section, true
}

// parseCNDigitSeq parses a digit-by-digit numeral such as 二〇二三.
func parseCNDigitSeq(rs []rune) (int, bool) {
	if len(rs) == 0 {
		return 0, false
	}
	v := 0
	for _, r := range rs {
		d, ok := cnDigit(r)
		if !ok || r == '两' || r == '兩' {
			return 0, false
		}
		v = v*10 + d
	}
	return v, true
}
