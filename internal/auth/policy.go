package auth

import (
	"time"
	"unicode"
	"unicode/utf8"

	"jiefen"
)

// PasswordPolicy is the password and lock-out policy that the security
// administrator sets (API.md, "Roles"): how long and how varied a password
// must be, how long it serves (GB/T 22239-2019 8.1.4.1 a): 身份鉴别信息具有
// 复杂度要求并定期更换), and how many wrong passwords within a window lock an
// account for how long (8.1.4.1 b): 登录失败处理). Version counts its
// changes, for If-Match.
type PasswordPolicy struct {
	MinLength            int   `json:"min_length"`
	MinClasses           int   `json:"min_classes"`
	MaxAgeDays           int   `json:"max_age_days"` // 0: passwords never expire
	LockoutFailures      int   `json:"lockout_failures"`
	LockoutWindowMinutes int   `json:"lockout_window_minutes"`
	LockoutMinutes       int   `json:"lockout_minutes"`
	Version              int64 `json:"version"`
}

// DefaultPasswordPolicy is API.md's policy: at least 10 characters of 3 of
// the 4 classes; 5 failures in 15 minutes lock the account for 30 minutes;
// a password serves 90 days.
func DefaultPasswordPolicy() PasswordPolicy {
	return PasswordPolicy{MinLength: 10, MinClasses: 3, MaxAgeDays: 90,
		LockoutFailures: 5, LockoutWindowMinutes: 15, LockoutMinutes: 30}
}

// Validate checks p against API.md's policy, which is the floor: a
// security administrator may make it stricter, never looser. A password
// has 10 to 64 characters of at least 3 classes; it serves at most 365
// days (0: for ever, as auth.password_max_age allows); 3 to 5 failures
// (fewer than 3 would let anyone lock any account by mistyping) within
// 15 minutes to a day lock the account for 30 minutes to a day. Each
// looser field is named.
func (p PasswordPolicy) Validate() error {
	var pr jiefen.Problems
	within := func(field string, v, lo, hi int, msg string) {
		if v < lo || v > hi {
			pr.Add(field, "%s", msg)
		}
	}
	within("min_length", p.MinLength, 10, 64, "须为10至64个字符：不能低于 API.md 规定的至少10个字符")
	within("min_classes", p.MinClasses, 3, 4, "须为3或4类：不能低于 API.md 规定的四类字符中至少三类")
	within("max_age_days", p.MaxAgeDays, 0, 365, "须为0至365天（0为永不过期）")
	within("lockout_failures", p.LockoutFailures, 3, 5, "须为3至5次：不能多于 API.md 规定的5次")
	within("lockout_window_minutes", p.LockoutWindowMinutes, 15, 1440, "须为15至1440分钟：不能短于 API.md 规定的15分钟")
	within("lockout_minutes", p.LockoutMinutes, 30, 1440, "须为30至1440分钟：不能短于 API.md 规定的30分钟")
	return pr.Err()
}

// classNames are the Chinese numerals of the class counts a policy may
// require.
var classNames = map[int]string{3: "三", 4: "四"}

// Check enforces the policy on a new password: at least MinLength
// characters and MinClasses of the four classes lower case, upper case,
// digits and other characters. Its message is Chinese, for the form.
func (p PasswordPolicy) Check(pw string) error {
	if utf8.RuneCountInString(pw) < p.MinLength {
		return jiefen.Errorf(jiefen.EINVALID, "至少%d个字符", p.MinLength)
	}
	var lower, upper, digit, other int
	for _, r := range pw {
		switch {
		case unicode.IsLower(r):
			lower = 1
		case unicode.IsUpper(r):
			upper = 1
		case unicode.IsDigit(r):
			digit = 1
		default:
			other = 1
		}
	}
	if lower+upper+digit+other < p.MinClasses {
		if p.MinClasses >= 4 {
			return jiefen.Errorf(jiefen.EINVALID, "须同时包含小写字母、大写字母、数字和其他字符")
		}
		return jiefen.Errorf(jiefen.EINVALID, "须包含小写字母、大写字母、数字、其他字符中的至少%s类", classNames[p.MinClasses])
	}
	return nil
}

// Lockout is the lock-out part of the policy.
func (p PasswordPolicy) Lockout() Lockout {
	return Lockout{Failures: p.LockoutFailures, Window: time.Duration(p.LockoutWindowMinutes) * time.Minute,
		Duration: time.Duration(p.LockoutMinutes) * time.Minute}
}

// MaxAge is how long a password serves under the policy.
func (p PasswordPolicy) MaxAge() PasswordMaxAge {
	return PasswordMaxAge(time.Duration(p.MaxAgeDays) * 24 * time.Hour)
}
