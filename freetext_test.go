package jiefen

import "testing"

func TestMaskText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"the issue's example",
			"申请人张三，身份证号410482199003071239，电话13812345678，于2024年3月5日与邻居发生纠纷。",
			"申请人张三，身份证号410***********1239，电话138****5678，于2024年3月5日与邻居发生纠纷。"},
		{"a wrong check digit is still someone's number",
			"身份证410482199003071234。", "身份证410***********1234。"},
		{"check character x, lower case", "证件：11010519491231002x；", "证件：110***********002x；"},
		{"check character X", "证件11010519491231002X", "证件110***********002X"},
		{"an old 15-digit number", "旧证号410482900307123，", "旧证号41***********23，"},
		{"full-width digits", "电话１３８１２３４５６７８", "电话１３８****５６７８"},
		{"mobile grouped by spaces", "手机 138 1234 5678 联系", "手机 138 **** 5678 联系"},
		{"mobile grouped by hyphens", "手机138-1234-5678。", "手机138-****-5678。"},
		{"mobile with +86", "Tel: +86 13812345678", "Tel: +86 138****5678"},
		{"mobile with 0086", "0086-13812345678", "0086-138****5678"},
		{"mobile with 86", "8613812345678", "86138****5678"},
		{"landline with a hyphen", "座机0375-1234567，", "座机0375-***4567，"},
		{"landline of Beijing", "010-12345678", "010-****5678"},
		{"landline in parentheses", "（0375）12345678", "（0375）****5678"},
		{"two numbers side by side", "13812345678、13912345678", "138****5678、139****5678"},
		{"a case number", "（2024）豫0482行初12号", "（2024）豫0482行初12号"},
		{"a case number with a long serial", "(2024)豫0482民初13812号", "(2024)豫0482民初13812号"},
		{"an amount in fen", "赔偿120000元，即12000000分", "赔偿120000元，即12000000分"},
		{"dates", "2024年3月5日、2024-03-05、20240305", "2024年3月5日、2024-03-05、20240305"},
		{"a credit code", "统一社会信用代码91410482MA44XXXXXX", "统一社会信用代码91410482MA44XXXXXX"},
		{"an all-digit credit code that fails the ID check", "代码110105199003011019", "代码110105199003011019"},
		{"a 19-digit bank card number is not an ID number", "6222021234567890123", "6222021234567890123"},
		{"a mobile inside a longer number", "订单号2024138123456789", "订单号2024138123456789"},
		{"a mobile touching letters", "AB13812345678", "AB13812345678"},
		{"no real date of birth", "410482199013071234", "410482199013071234"},
		{"no province", "990482199003071234", "990482199003071234"},
		{"12 is no mobile prefix", "12812345678", "12812345678"},
		{"a landline with no area code", "电话1234567", "电话1234567"},
		{"an unknown area code", "0075-1234567", "0075-1234567"},
		{"a local number starting with 0", "0375-0234567", "0375-0234567"},
		{"empty", "", ""},

		// Full-width check characters and separators, as input methods type
		// them.
		{"full-width check character Ｘ", "身份证４１０４８２１９９００３０７１２３Ｘ。", "身份证４１０***********１２３Ｘ。"},
		{"full-width check character ｘ", "证件：11010519491231002ｘ；", "证件：110***********002ｘ；"},
		{"mobile grouped by full-width hyphens", "手机１３８－１２３４－５６７８。", "手机１３８－****－５６７８。"},
		{"mobile grouped by ideographic spaces", "手机138\u30001234\u30005678", "手机138\u3000****\u30005678"},
		{"mobile grouped by em dashes", "手机138—1234—5678", "手机138—****—5678"},
		{"mobile with a full-width ＋86", "＋86 13812345678", "＋86 138****5678"},
		{"landline with a full-width hyphen", "座机０３７５－１２３４５６７，", "座机０３７５－***４５６７，"},
		{"landline with an ideographic space", "座机0375\u300012345678", "座机0375\u3000****5678"},
		{"a doubled dash is punctuation", "138——1234——5678", "138——1234——5678"},

		// Latin letters touching a number.
		{"a mobile labelled tel", "tel13812345678", "tel138****5678"},
		{"a mobile labelled Tel:", "Tel:13812345678", "Tel:138****5678"},
		{"a mobile labelled 电话:", "电话:13812345678", "电话:138****5678"},
		{"a mobile labelled in full-width letters", "ＴＥＬ１３８１２３４５６７８", "ＴＥＬ１３８****５６７８"},
		{"a mobile with +86 labelled tel", "tel+8613812345678", "tel+86138****5678"},
		{"a labelled mobile in parentheses", "张三（tel13812345678）", "张三（tel138****5678）"},
		{"a mobile labelled mobile", "Mobile138-1234-5678", "Mobile138-****-5678"},
		{"a landline labelled tel", "TEL0375-1234567", "TEL0375-***4567"},
		{"an ID number labelled ID, check character wrong", "ID410482199003071234", "ID410***********1234"},
		{"an ID number labelled idno", "idno11010519491231002X", "idno110***********002X"},
		{"an ID number with a right check character after any letters", "SFZ410482199003071239", "SFZ410***********1239"},
		{"an ID number with a wrong check character after other letters", "HT410482199003071234", "HT410482199003071234"},
		{"a parcel number", "SF13812345678", "SF13812345678"},
		{"a label inside a longer code", "AB12tel13812345678", "AB12tel13812345678"},
		{"a letter after the number", "tel13812345678A", "tel13812345678A"},
		{"a credit code of a letter and 17 digits", "统一社会信用代码Y14104821990030710", "统一社会信用代码Y14104821990030710"},
		{"a credit code of authority A", "代码A21381234567812344；", "代码A21381234567812344；"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := MaskText(tc.in); got != tc.want {
				t.Errorf("MaskText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestMaskTextMasksAsTheFields: a number found in a text is masked exactly
// as the party's field holding it would be.
func TestMaskTextMasksAsTheFields(t *testing.T) {
	for _, id := range []string{"410482199003071239", "11010519491231002X"} {
		if got, want := MaskText(id), MaskIDNumber(id); got != want {
			t.Errorf("MaskText(%q) = %q, MaskIDNumber = %q", id, got, want)
		}
	}
	for _, phone := range []string{"13812345678", "0375-1234567", "010-12345678"} {
		if got, want := MaskText(phone), MaskPhone(phone); got != want {
			t.Errorf("MaskText(%q) = %q, MaskPhone = %q", phone, got, want)
		}
	}
}

// TestMaskTextIsIdempotent: a masked text masks to itself, so that a text
// read masked and saved again is not changed further.
func TestMaskTextIsIdempotent(t *testing.T) {
	in := "申请人张三，身份证号410482199003071239，电话138 1234 5678，座机0375-1234567，tel13812345678，" +
		"ID４１０４８２１９９００３０７１２３Ｘ，手机１３８－１２３４－５６７８"
	once := MaskText(in)
	if twice := MaskText(once); twice != once {
		t.Errorf("MaskText(MaskText(x)) = %q, want %q", twice, once)
	}
}
