package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"jiefen"
	"jiefen/internal/auth"
)

type userRow struct {
	ID                 int64 `gorm:"primaryKey"`
	Username           string
	Name               string
	PasswordHash       string
	Role               string
	OrgCode            string
	Active             bool
	MustChangePassword bool
	PasswordChangedAt  time.Time
	LastLoginAt        *time.Time
	Version            int64
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

func (userRow) TableName() string { return "users" }

// user is the account of r, locked until lockedUntil when that is not
// zero.
func (r userRow) user(lockedUntil time.Time) jiefen.User {
	u := jiefen.User{ID: r.ID, Username: r.Username, Name: r.Name, Role: jiefen.Role(r.Role), OrgCode: r.OrgCode,
		Active: r.Active, MustChangePassword: r.MustChangePassword, PasswordChangedAt: r.PasswordChangedAt.UTC(),
		Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.LastLoginAt != nil {
		t := r.LastLoginAt.UTC()
		u.LastLoginAt = &t
	}
	if !lockedUntil.IsZero() {
		t := lockedUntil.UTC()
		u.LockedUntil = &t
	}
	return u
}

type sessionRow struct {
	TokenHash  string `gorm:"primaryKey"`
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
}

func (sessionRow) TableName() string { return "sessions" }

type loginLockRow struct {
	Username    string `gorm:"primaryKey"`
	LockedUntil time.Time
}

func (loginLockRow) TableName() string { return "login_locks" }

// CreateUser stores a new active user with an already hashed password,
// its display name and whether the password must be changed at the first
// login. The org, when given, must exist (invalid on "org"); a taken
// username is a conflict. It works on an empty database, to bootstrap the
// first admin.
func (s Users) CreateUser(ctx context.Context, u jiefen.User, passwordHash string) (jiefen.User, error) {
	now := s.Now()
	var row userRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		// Built here: a rerun (see tx) inserts anew, with no id of the
		// attempt that failed.
		row = userRow{Username: u.Username, Name: u.Name, PasswordHash: passwordHash, Role: string(u.Role), OrgCode: u.OrgCode,
			Active: true, MustChangePassword: u.MustChangePassword, PasswordChangedAt: now, Version: 1, CreatedAt: now, UpdatedAt: now}
		if row.OrgCode != "" {
			if err := orgExists(tx, row.OrgCode, "org"); err != nil {
				return err
			}
		}
		if err := tx.Create(&row).Error; err != nil {
			if isDuplicate(err) {
				return jiefen.Errorf(jiefen.ECONFLICT, "username %q is taken", row.Username)
			}
			return err
		}
		if err := s.appendAudit(ctx, tx, change{action: "user.create", targetType: "user", targetID: row.Username, after: row.user(time.Time{})}); err != nil {
			return err
		}
		return s.tellAdministrativeAction(ctx, tx, "user.create", row.user(time.Time{}))
	})
	return row.user(time.Time{}), err
}

// User returns the user with the given username.
func (s Users) User(ctx context.Context, username string) (jiefen.User, error) {
	var row userRow
	if err := s.read(ctx).Where("username = ?", username).Take(&row).Error; err != nil {
		return jiefen.User{}, translate(err)
	}
	locks, err := s.locks(s.read(ctx), row.Username)
	if err != nil {
		return jiefen.User{}, err
	}
	return row.user(locks[row.Username]), nil
}

// UserFilter selects users for a list.
type UserFilter struct {
	Roles []jiefen.Role // only these roles (none: no user)
	// State, when not empty, keeps the accounts in that state (see
	// jiefen.User.AccountStateAt), a password set before ExpiredBefore
	// counting as one that must be changed (zero: none expires).
	State         jiefen.AccountState
	ExpiredBefore time.Time
	AfterID       int64 // the cursor
	Limit         int
}

// ListUsers returns the users that f selects, ordered by id.
func (s Users) ListUsers(ctx context.Context, f UserFilter) ([]jiefen.User, error) {
	if len(f.Roles) == 0 {
		return []jiefen.User{}, nil
	}
	q := s.read(ctx).Where("id > ? AND role IN ?", f.AfterID, f.Roles)
	locked := s.read(ctx).Table("login_locks").Select("username").Where("locked_until > ?", s.Now())
	expired := "must_change_password = ?"
	args := []any{true}
	if !f.ExpiredBefore.IsZero() {
		expired, args = "(must_change_password = ? OR password_changed_at <= ?)", []any{true, f.ExpiredBefore}
	}
	switch f.State {
	case jiefen.AccountDisabled:
		q = q.Where("active = ?", false)
	case jiefen.AccountLocked:
		q = q.Where("active = ? AND username IN (?)", true, locked)
	case jiefen.AccountMustChangePassword:
		q = q.Where("active = ? AND username NOT IN (?)", true, locked).Where(expired, args...)
	case jiefen.AccountActive:
		q = q.Where("active = ? AND username NOT IN (?)", true, locked).Not(expired, args...)
	}
	var rows []userRow
	if err := q.Order("id").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = r.Username
	}
	locks, err := s.locks(s.read(ctx), names...)
	if err != nil {
		return nil, err
	}
	out := make([]jiefen.User, len(rows))
	for i, r := range rows {
		out[i] = r.user(locks[r.Username])
	}
	return out, nil
}

// locks returns when each of the usernames that is locked now is freed.
func (s Users) locks(q *gorm.DB, usernames ...string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	if len(usernames) == 0 {
		return out, nil
	}
	var rows []loginLockRow
	if err := q.Where("username IN ? AND locked_until > ?", usernames, s.Now()).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range rows {
		out[r.Username] = r.LockedUntil
	}
	return out, nil
}

// lockedOut refuses (423) any attempt at a password while username is
// locked.
func (s Users) lockedOut(ctx context.Context, username string) error {
	locks, err := s.locks(s.read(ctx), username)
	if err != nil {
		return err
	}
	if until, ok := locks[username]; ok {
		return jiefen.Errorf(jiefen.ELOCKED, "the account is locked after repeated failed logins; try again after %s", until.UTC().Format(time.RFC3339))
	}
	return nil
}

// failedPassword counts a wrong password for username under the lock-out
// policy, and records it in the audit log as action: the attempt that
// reaches the limit locks the name.
func (s Users) failedPassword(ctx context.Context, username, action string, lock auth.Lockout) error {
	now := s.Now()
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec("INSERT INTO login_failures (username, failed_at) VALUES (?, ?)", username, now).Error; err != nil {
			return err
		}
		var n int64
		if err := tx.Raw("SELECT COUNT(*) FROM login_failures WHERE username = ? AND failed_at > ?", username, now.Add(-lock.Window)).Scan(&n).Error; err != nil {
			return err
		}
		if n >= int64(lock.Failures) {
			if err := tx.Exec("DELETE FROM login_failures WHERE username = ?", username).Error; err != nil {
				return err
			}
			if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "username"}},
				DoUpdates: clause.AssignmentColumns([]string{"locked_until"})}).
				Create(&loginLockRow{Username: username, LockedUntil: now.Add(lock.Duration)}).Error; err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, change{action: action, targetType: "user", targetID: username})
	})
}

// Login checks a username and password under the lock-out policy and, when
// they match an active user, opens a session under tokenHash and records
// the login. Every wrong attempt, for a known username or not, is counted;
// the attempt that reaches the limit locks the name, and while it is
// locked every attempt, right or wrong, is refused as locked (423). It
// returns the user.
func (s Users) Login(ctx context.Context, username, password, tokenHash string, lock auth.Lockout) (jiefen.User, error) {
	if err := s.lockedOut(ctx, username); err != nil {
		return jiefen.User{}, err
	}
	var row userRow
	err := s.read(ctx).Where("username = ?", username).Take(&row).Error
	found := err == nil
	if err != nil && jiefen.ErrorCodeOf(translate(err)) != jiefen.ENOTFOUND {
		return jiefen.User{}, translate(err)
	}
	hash := row.PasswordHash
	if !found {
		hash = unknownUserHash // verify anyway, so that timing does not reveal which names exist
	}
	ok := auth.Verify(hash, password) && found && row.Active
	actorCtx := jiefen.NewContextWithActor(ctx, jiefen.Actor{UserID: row.ID, Username: username, Role: jiefen.Role(row.Role)})
	if !ok {
		if err := s.failedPassword(actorCtx, username, "auth.login_failed", lock); err != nil {
			return jiefen.User{}, err
		}
		return jiefen.User{}, jiefen.Errorf(jiefen.EUNAUTHORIZED, "wrong username or password")
	}
	now := s.Now()
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec("DELETE FROM login_failures WHERE username = ?", username).Error; err != nil {
			return err
		}
		if err := tx.Exec("UPDATE users SET last_login_at = ? WHERE id = ?", now, row.ID).Error; err != nil {
			return err
		}
		if err := tx.Create(&sessionRow{TokenHash: tokenHash, UserID: row.ID, CreatedAt: now, LastSeenAt: now}).Error; err != nil {
			return err
		}
		return s.appendAudit(actorCtx, tx, change{action: "auth.login", targetType: "user", targetID: username})
	})
	row.LastLoginAt = &now
	return row.user(time.Time{}), err
}

// unknownUserHash is a valid argon2id hash of a random password, verified
// against when the username does not exist.
const unknownUserHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3b8Uq8Cq3ZB6m1X7F1v6S3b7l2x8hJk9Zy1Q0m4nX3E"

// Authenticate returns the actor of the session stored under tokenHash and
// extends its idle timeout. An unknown, ended or idle session, or one of a
// deactivated user, is unauthorized.
func (s Users) Authenticate(ctx context.Context, tokenHash string, p auth.SessionPolicy) (jiefen.Actor, time.Time, error) {
	now := s.Now()
	var rows []struct {
		UserID             int64
		CreatedAt          time.Time
		LastSeenAt         time.Time
		Username           string
		Role               string
		OrgCode            string
		Active             bool
		MustChangePassword bool
		PasswordChangedAt  time.Time
	}
	err := s.read(ctx).Raw(`SELECT s.user_id, s.created_at, s.last_seen_at, u.username, u.role, u.org_code, u.active,
		u.must_change_password, u.password_changed_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, tokenHash).Scan(&rows).Error
	if err != nil {
		return jiefen.Actor{}, time.Time{}, translate(err)
	}
	if len(rows) == 0 {
		return jiefen.Actor{}, time.Time{}, jiefen.Errorf(jiefen.EUNAUTHORIZED, "the session is unknown or has ended; log in again")
	}
	r := rows[0]
	sess := auth.Session{TokenHash: tokenHash, UserID: r.UserID, CreatedAt: r.CreatedAt, LastSeenAt: r.LastSeenAt}
	if !now.Before(p.ExpiresAt(sess)) {
		s.read(ctx).Exec("DELETE FROM sessions WHERE token_hash = ?", tokenHash)
		return jiefen.Actor{}, time.Time{}, jiefen.Errorf(jiefen.EUNAUTHORIZED, "the session has expired; log in again")
	}
	if !r.Active {
		return jiefen.Actor{}, time.Time{}, jiefen.Errorf(jiefen.EUNAUTHORIZED, "the account is deactivated")
	}
	// Touch at most once a minute: enough precision for an idle timeout of
	// minutes, and far fewer writes.
	if now.Sub(r.LastSeenAt) >= time.Minute {
		if err := s.read(ctx).Exec("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", now, tokenHash).Error; err != nil {
			return jiefen.Actor{}, time.Time{}, translate(err)
		}
		sess.LastSeenAt = now
	}
	return jiefen.Actor{UserID: r.UserID, Username: r.Username, Role: jiefen.Role(r.Role), OrgCode: r.OrgCode,
		MustChangePassword: r.MustChangePassword, PasswordChangedAt: r.PasswordChangedAt.UTC()}, p.ExpiresAt(sess), nil
}

// Logout ends the session stored under tokenHash.
func (s Users) Logout(ctx context.Context, tokenHash string) error {
	actor, _ := jiefen.ActorFrom(ctx)
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec("DELETE FROM sessions WHERE token_hash = ?", tokenHash).Error; err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, change{action: "auth.logout", targetType: "user", targetID: actor.Username})
	})
}
