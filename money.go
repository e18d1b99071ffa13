package jiefen

import "strings"

// capitalDigits are the 大写 digits 零 to 玖 that money is written in on
// documents, so that no figure can be altered into another.
var capitalDigits = [10]string{"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"}

// AmountInWords writes an amount in fen as 人民币大写, the way agreements,
// receipts and bills print it beside the figures, following 《支付结算办法》
// 附件《正确填写票据和结算凭证的基本规定》:
//
//   - the words follow 人民币 without a gap: ¥12,345.67 is
//     人民币壹万贰仟叁佰肆拾伍元陆角柒分;
//   - an amount that ends at 元 or at 角 is closed with 整: 人民币壹佰元整,
//     人民币壹拾元伍角整; one that ends at 分 is not: 人民币伍分;
//   - zeros between digits are written as one 零: ¥6,007.14 is
//     人民币陆仟零柒元壹角肆分, ¥1,000,005.00 is 人民币壹佰万零伍元整,
//     ¥100,010,000.00 is 人民币壹亿零壹万元整;
//   - a 角 of zero before a 分 that is not is written 零: ¥325.04 is
//     人民币叁佰贰拾伍元零肆分;
//   - where the rules leave the 零 to the writer, a zero in the 万, 亿 or
//     元 place followed by a 千 or 角 that is not zero, it is left out:
//     ¥107,000.53 is 人民币壹拾万柒仟元伍角叁分;
//   - a ten is always 壹拾, never a bare 拾: 人民币壹拾元整;
//   - an amount under one yuan has no 元: 人民币伍角整; nothing at all is
//     人民币零元整.
//
// Agreements and claims never hold a negative amount, but the function is
// total: a negative amount is written as its magnitude after 负, as in
// 人民币负壹佰元整.
func AmountInWords(fen int64) string {
	var b strings.Builder
	b.WriteString("人民币")
	u := uint64(fen)
	if fen < 0 {
		b.WriteString("负")
		u = uint64(-fen) // -MinInt64 wraps to itself, which as uint64 is its magnitude
	}
	yuan, jiao, cents := u/100, u/10%10, u%10
	if yuan > 0 {
		b.WriteString(yuanInWords(yuan))
		b.WriteString("元")
	}
	switch {
	case jiao == 0 && cents == 0:
		if yuan == 0 {
			b.WriteString("零元")
		}
		b.WriteString("整")
	case jiao == 0:
		if yuan > 0 {
			b.WriteString("零")
		}
		b.WriteString(capitalDigits[cents] + "分")
	default:
		b.WriteString(capitalDigits[jiao] + "角")
		if cents == 0 {
			b.WriteString("整")
		} else {
			b.WriteString(capitalDigits[cents] + "分")
		}
	}
	return b.String()
}

// yuanInWords writes a whole number of yuan above zero in 大写 without the
// 元: the part above a hundred million (亿) in words of its own before 亿,
// then the part above ten thousand before 万, then the rest, with one 零
// where a lower part skips its leading 千 (or its 千万 below 亿).
func yuanInWords(n uint64) string {
	for _, unit := range []struct {
		size uint64
		name string
	}{{1_0000_0000, "亿"}, {1_0000, "万"}} {
		if n < unit.size {
			continue
		}
		high, low := n/unit.size, n%unit.size
		s := yuanInWords(high) + unit.name
		if low == 0 {
			return s
		}
		if low < unit.size/10 {
			s += "零"
		}
		return s + yuanInWords(low)
	}
	return thousandsInWords(n)
}

// thousandsInWords writes 1 to 9999 in 大写 with its 仟, 佰 and 拾, one 零
// for a run of zeros between digits and nothing for trailing zeros.
func thousandsInWords(n uint64) string {
	var b strings.Builder
	zero := false
	for _, place := range []struct {
		size uint64
		name string
	}{{1000, "仟"}, {100, "佰"}, {10, "拾"}, {1, ""}} {
		d := n / place.size % 10
		if d == 0 {
			zero = b.Len() > 0
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		b.WriteString(capitalDigits[d] + place.name)
	}
	return b.String()
}
