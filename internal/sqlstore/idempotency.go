package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"

	"jiefen"
)

// IdempotentResponse is a stored answer to a creating POST.
type IdempotentResponse struct {
	RequestHash string
	Done        bool
	Status      int
	Location    string
	Body        []byte
}

type idempotencyRow struct {
	UserID      int64  `gorm:"primaryKey;autoIncrement:false"`
	IdemKey     string `gorm:"primaryKey"`
	RequestHash string
	State       string
	StatusCode  int
	Location    string
	Body        []byte
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

func (idempotencyRow) TableName() string { return "idempotency_keys" }

// ClaimIdempotencyKey records that user started a request under key. When
// the key is new (or its record expired) it returns nil, and the caller runs
// the request and then calls FinishIdempotencyKey or ReleaseIdempotencyKey.
// Otherwise it returns the earlier record, finished or still running, for
// the caller to replay or refuse.
func (s Idempotency) ClaimIdempotencyKey(ctx context.Context, userID int64, key, requestHash string, ttl time.Duration) (*IdempotentResponse, error) {
	now := s.Now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("user_id = ? AND idem_key = ? AND expires_at <= ?", userID, key, now).Delete(&idempotencyRow{}).Error; err != nil {
			return err
		}
		err := tx.Create(&idempotencyRow{UserID: userID, IdemKey: key, RequestHash: requestHash, State: "running",
			CreatedAt: now, ExpiresAt: now.Add(ttl)}).Error
		return err // a duplicate becomes a conflict
	})
	if err == nil {
		return nil, nil
	}
	if jiefen.ErrorCodeOf(err) != jiefen.ECONFLICT {
		return nil, err
	}
	var row idempotencyRow
	if err := s.read(ctx).Where("user_id = ? AND idem_key = ?", userID, key).Take(&row).Error; err != nil {
		return nil, translate(err)
	}
	return &IdempotentResponse{RequestHash: row.RequestHash, Done: row.State == "done", Status: row.StatusCode,
		Location: row.Location, Body: row.Body}, nil
}

// FinishIdempotencyKey stores the answer given under key, to be replayed.
func (s Idempotency) FinishIdempotencyKey(ctx context.Context, userID int64, key string, status int, location string, body []byte) error {
	return translate(s.read(ctx).Model(&idempotencyRow{}).Where("user_id = ? AND idem_key = ?", userID, key).
		Updates(map[string]any{"state": "done", "status_code": status, "location": location, "body": body}).Error)
}

// ReleaseIdempotencyKey forgets key, so that a request that failed for a
// passing reason (the database was down) can be retried under it.
func (s Idempotency) ReleaseIdempotencyKey(ctx context.Context, userID int64, key string) error {
	return translate(s.read(ctx).Where("user_id = ? AND idem_key = ?", userID, key).Delete(&idempotencyRow{}).Error)
}

// ExpireIdempotencyKeys deletes records past their expiry and returns how
// many went.
func (s Idempotency) ExpireIdempotencyKeys(ctx context.Context) (int64, error) {
	res := s.read(ctx).Where("expires_at <= ?", s.Now()).Delete(&idempotencyRow{})
	return res.RowsAffected, translate(res.Error)
}
