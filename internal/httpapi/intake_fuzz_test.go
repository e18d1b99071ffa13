package httpapi_test

import (
	"encoding/json"
	"testing"

	"jiefen"
	"jiefen/internal/sqlstore/storetest"
)

// FuzzIntakeDecoder sends any body to the intake's decoder and rules,
// through the real gin engine (the routing preview decodes and checks a
// dispute exactly as registration does, without writing): the answer is
// 200 or a 4xx naming what is wrong, never a 500, and a 422 always names
// a field.
func FuzzIntakeDecoder(f *testing.F) {
	good, _ := json.Marshal(dispute("police", "neighbour", "汝州市钟楼街道"))
	f.Add(good)
	f.Add([]byte(`{"title":"x","category":"debt","source":"walk_in","parties":[{"role":"applicant","name":"张三","id_number":"41048219900101123X"}]}`))
	f.Add([]byte(`{"parties":[{"role":"applicant","name":"","id_number":"１１０１０５１９４９１２３１００２x","phone":"+86 138-1234-5678"}],"amount_fen":-1}`))
	f.Add([]byte(`{"title":null,"flags":["mass","mass"],"occurred_on":"2024-02-30","on":"2099-01-01"}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"title":"` + string(make([]byte, 300)) + `"}`))
	f.Add([]byte("{\"title\":\"\xff\xfe\"}"))
	e := newEnv(f, storetest.SQLite(f))
	intake := e.as(jiefen.RoleIntake)
	f.Fuzz(func(t *testing.T, body []byte) {
		e.t = t
		res := e.do("POST", "/api/v1/routing/preview", intake, body)
		if res.Code >= 500 {
			t.Fatalf("%d for %q: %s", res.Code, body, res.Body)
		}
		if res.Code == 422 {
			var out struct {
				Error struct {
					Fields []jiefen.FieldError `json:"fields"`
				} `json:"error"`
			}
			if err := json.Unmarshal(res.Body.Bytes(), &out); err != nil || len(out.Error.Fields) == 0 {
				t.Fatalf("422 without fields for %q: %s", body, res.Body)
			}
		}
	})
}
