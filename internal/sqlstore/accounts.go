package sqlstore

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/internal/auth"
)

// ChangePassword sets a user's own new password after checking the old
// one (API.md, "Roles"). A wrong old password is counted toward the
// lock-out as a failed login is, so that the form cannot be used to guess
// a password of an open session, and while the account is locked every
// attempt is refused (423). On success the password no longer must be
// changed, its age starts again, and every other session of the user ends
// (the one under keepToken stays).
func (s Users) ChangePassword(ctx context.Context, username, old, newHash, keepToken string, lock auth.Lockout) (jiefen.User, error) {
	if err := s.lockedOut(ctx, username); err != nil {
		return jiefen.User{}, err
	}
	var row userRow
	if err := s.read(ctx).Where("username = ?", username).Take(&row).Error; err != nil {
		return jiefen.User{}, translate(err)
	}
	if !auth.Verify(row.PasswordHash, old) {
		if err := s.failedPassword(ctx, username, "auth.password_change_failed", lock); err != nil {
			return jiefen.User{}, err
		}
		return jiefen.User{}, &jiefen.Error{Code: jiefen.EINVALID, Message: "原密码不正确",
			Fields: []jiefen.FieldError{{Field: "old", Message: "不是当前密码"}}}
	}
	now := s.Now()
	before := row.user(time.Time{})
	var after userRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		after = row // a rerun starts again from the row as read
		res := tx.Model(&userRow{}).Where("id = ? AND version = ?", row.ID, row.Version).Updates(map[string]any{
			"password_hash": newHash, "must_change_password": false, "password_changed_at": now,
			"version": row.Version + 1, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return jiefen.Errorf(jiefen.ECONFLICT, "账号刚被修改（例如密码被重置），请重新登录后再试")
		}
		if err := tx.Exec("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", row.ID, keepToken).Error; err != nil {
			return err
		}
		if err := tx.Exec("DELETE FROM login_failures WHERE username = ?", username).Error; err != nil {
			return err
		}
		after.PasswordHash, after.MustChangePassword, after.PasswordChangedAt = newHash, false, now
		after.Version, after.UpdatedAt = row.Version+1, now
		return s.appendAudit(ctx, tx, change{action: "user.change_password", targetType: "user", targetID: username,
			before: before, after: after.user(time.Time{})})
	})
	if err != nil {
		return jiefen.User{}, err
	}
	return after.user(time.Time{}), nil
}

// AccountAction is a manager's action on an account (API.md, "Roles").
type AccountAction struct {
	Name      string // the audit action, such as "user.disable"
	IfVersion int64  // the If-Match version; 0 when none was sent
	// May refuses the action on the account as it stands (the manager's
	// scope, one's own account); it runs on the locked record.
	May func(jiefen.User) error
}

// ResetPassword gives a user a one-time password (its hash): it must be
// changed at the next login, every session of the user ends, and a lock
// or failure count of the name is cleared.
func (s Users) ResetPassword(ctx context.Context, username string, a AccountAction, hash string) (jiefen.User, error) {
	return s.actOnUser(ctx, username, a, func(tx *gorm.DB, row *userRow, now time.Time) error {
		row.PasswordHash, row.MustChangePassword, row.PasswordChangedAt = hash, true, now
		if err := endSessions(tx, row.ID); err != nil {
			return err
		}
		return clearLock(tx, row.Username)
	})
}

// UnlockUser frees a name locked after failed logins and forgets its
// failures, so that an account kept locked by someone guessing at it can
// be used again at once.
func (s Users) UnlockUser(ctx context.Context, username string, a AccountAction) (jiefen.User, error) {
	return s.actOnUser(ctx, username, a, func(tx *gorm.DB, row *userRow, _ time.Time) error {
		return clearLock(tx, row.Username)
	})
}

// SetUserActive disables (every session ends; no login until enabled) or
// enables an account. Disabling a disabled account, or enabling an active
// one, is a conflict naming the state.
func (s Users) SetUserActive(ctx context.Context, username string, active bool, a AccountAction) (jiefen.User, error) {
	return s.actOnUser(ctx, username, a, func(tx *gorm.DB, row *userRow, _ time.Time) error {
		if row.Active == active {
			if active {
				return jiefen.Errorf(jiefen.ECONFLICT, "账号已是启用状态")
			}
			return jiefen.Errorf(jiefen.ECONFLICT, "账号已是停用状态")
		}
		row.Active = active
		if !active {
			return endSessions(tx, row.ID)
		}
		return nil
	})
}

// actOnUser runs one manager's action on the account of username in one
// transaction: the record is locked, a.May and If-Match are checked, apply
// changes the row (and whatever else it must), the row is saved under a
// new version and the action is audited with the account before and
// after (never its password hash).
func (s Users) actOnUser(ctx context.Context, username string, a AccountAction, apply func(tx *gorm.DB, row *userRow, now time.Time) error) (jiefen.User, error) {
	var out jiefen.User
	err := s.txReadCommitted(ctx, func(tx *gorm.DB) error {
		var row userRow
		if err := tx.Raw("SELECT * FROM users WHERE username = ?"+s.forUpdate(), username).Scan(&row).Error; err != nil {
			return err
		}
		if row.ID == 0 {
			return jiefen.Errorf(jiefen.ENOTFOUND, "no user is named %q", username)
		}
		locks, err := s.locks(tx, username)
		if err != nil {
			return err
		}
		before := row.user(locks[username])
		if err := a.May(before); err != nil {
			return err
		}
		if a.IfVersion != 0 && a.IfVersion != row.Version {
			return jiefen.Errorf(jiefen.EPRECONDITION, "the user has changed (version %d, If-Match %d); fetch it again", row.Version, a.IfVersion)
		}
		now := s.Now()
		if err := apply(tx, &row, now); err != nil {
			return err
		}
		row.Version, row.UpdatedAt = row.Version+1, now
		res := tx.Model(&userRow{}).Where("id = ? AND version = ?", row.ID, row.Version-1).Updates(map[string]any{
			"password_hash": row.PasswordHash, "must_change_password": row.MustChangePassword,
			"password_changed_at": row.PasswordChangedAt, "active": row.Active,
			"version": row.Version, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return jiefen.Errorf(jiefen.EPRECONDITION, "the user has changed; fetch it again")
		}
		if locks, err = s.locks(tx, username); err != nil {
			return err
		}
		out = row.user(locks[username])
		if err := s.appendAudit(ctx, tx, change{action: a.Name, targetType: "user", targetID: username, before: before, after: out}); err != nil {
			return err
		}
		return s.tellAdministrativeAction(ctx, tx, a.Name, out)
	})
	return out, err
}

// accountActionTitle is the line that tells of an action on an account:
// who did it, then the account's role and username.
func accountActionTitle(action, by string, u jiefen.User) string {
	format := map[string]string{"user.create": "%s 创建了%s账号 %s", "user.reset_password": "%s 重置了%s账号 %s 的密码",
		"user.unlock": "%s 解锁了%s账号 %s", "user.disable": "%s 停用了%s账号 %s", "user.enable": "%s 启用了%s账号 %s"}[action]
	if format == "" {
		format = "%s 操作了%s账号 %s（" + action + "）"
	}
	return fmt.Sprintf(format, by, u.Role.Label(), u.Username)
}

// tellAdministrativeAction sends to the webhooks an event for an action on
// the account of an administrator (admin, security, auditor), in the same
// transaction. 三员分立 keeps the three apart, yet the security
// administrator who resets the auditor's password holds, for a moment,
// the auditor's account: the log records it, and the event makes it known
// outside the platform at once, to whoever receives the webhooks (the
// leadership's or the network security office's channel), without
// waiting for the auditor to read the log. Business accounts raise no
// event; their actions are in the log.
func (s Users) tellAdministrativeAction(ctx context.Context, tx *gorm.DB, action string, u jiefen.User) error {
	if !auth.Administrative(u.Role) {
		return nil
	}
	actor, _ := jiefen.ActorFrom(ctx)
	by := actor.Role.Label() + " " + actor.Username
	if actor.Role == "" { // the host's command line (jiefen user create)
		by = "主机命令行"
	}
	_, err := s.emit(tx, []Event{{
		Key:  fmt.Sprintf("%s:%s:%d", action, u.Username, u.Version),
		Kind: action, SubjectType: "user", SubjectID: u.ID,
		Title: accountActionTitle(action, by, u),
	}})
	return err
}

// endSessions ends every session of a user.
func endSessions(tx *gorm.DB, userID int64) error {
	return tx.Exec("DELETE FROM sessions WHERE user_id = ?", userID).Error
}

// clearLock frees a locked name and forgets its failed attempts.
func clearLock(tx *gorm.DB, username string) error {
	if err := tx.Exec("DELETE FROM login_locks WHERE username = ?", username).Error; err != nil {
		return err
	}
	return tx.Exec("DELETE FROM login_failures WHERE username = ?", username).Error
}
