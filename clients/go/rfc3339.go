package chaoscontrol

// parseMillis reads a strict RFC 3339 date-time into milliseconds since the Unix epoch,
// dropping fraction digits after the third (docs/control-file.md section 3.1).
func parseMillis(text string) (int64, bool) {
	i := 0
	digits := func(count int) (int, bool) {
		if i+count > len(text) {
			return 0, false
		}
		value := 0
		for end := i + count; i < end; i++ {
			c := text[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			value = value*10 + int(c-'0')
		}
		return value, true
	}
	expect := func(allowed string) bool {
		if i < len(text) {
			for j := 0; j < len(allowed); j++ {
				if text[i] == allowed[j] {
					i++
					return true
				}
			}
		}
		return false
	}
	year, ok1 := digits(4)
	ok2 := expect("-")
	month, ok3 := digits(2)
	ok4 := expect("-")
	day, ok5 := digits(2)
	ok6 := expect("Tt ")
	hour, ok7 := digits(2)
	ok8 := expect(":")
	minute, ok9 := digits(2)
	ok10 := expect(":")
	second, ok11 := digits(2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 && ok8 && ok9 && ok10 && ok11) {
		return 0, false
	}
	if month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 60 {
		return 0, false
	}
	millis, count := 0, 0
	if i < len(text) && text[i] == '.' {
		i++
		for i < len(text) && text[i] >= '0' && text[i] <= '9' {
			if count < 3 {
				millis = millis*10 + int(text[i]-'0')
			}
			count++
			i++
		}
		if count == 0 {
			return 0, false
		}
		for ; count < 3; count++ {
			millis *= 10
		}
	}
	offset := 0
	switch {
	case expect("Zz"):
	case i < len(text) && (text[i] == '+' || text[i] == '-'):
		sign := 1
		if text[i] == '-' {
			sign = -1
		}
		i++
		offsetHour, okh := digits(2)
		okc := expect(":")
		offsetMinute, okm := digits(2)
		if !(okh && okc && okm) || offsetHour > 23 || offsetMinute > 59 {
			return 0, false
		}
		offset = sign * (offsetHour*3600 + offsetMinute*60)
	default:
		return 0, false
	}
	if i != len(text) {
		return 0, false
	}
	whole := int64(daysFromCivil(year, month, day))*86400 + int64(hour*3600+minute*60+second-offset)
	return whole*1000 + int64(millis), true
}

func daysInMonth(year, month int) int {
	switch month {
	case 2:
		if (year%4 == 0 && year%100 != 0) || year%400 == 0 {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil counts days since 1970-01-01 (proleptic Gregorian, years from March).
func daysFromCivil(year, month, day int) int {
	if month <= 2 {
		year--
	}
	era := year / 400
	if year < 0 && year%400 != 0 {
		era--
	}
	yearOfEra := year - era*400
	shifted := month + 9
	if month > 2 {
		shifted = month - 3
	}
	dayOfYear := (153*shifted+2)/5 + day - 1
	dayOfEra := yearOfEra*365 + yearOfEra/4 - yearOfEra/100 + dayOfYear
	return era*146097 + dayOfEra - 719468
}
