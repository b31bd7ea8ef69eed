# rank.sh: `goldset rank --pairs` on 50 systems and 300k comparisons (10%
# ties, a left column) against what a user would otherwise run: the
# Chatbot-Arena-notebook approach in scikit-learn (one row per comparison,
# +1 for a, -1 for b, LogisticRegression(fit_intercept=False, C=1e6), a tie
# as two rows of weight 1/2), reading the same CSV with pandas. End to end
# (process start to exit), wall time and peak memory from /usr/bin/time
# (lib.sh's measure: the same figures `time -v` reports). Goal: >= 10x.
#
# Also: the largest difference between the two sets of scores (both centred),
# and goldset's bootstrap at 100, 500 and 1000 resamples to show that its
# time grows linearly. scikit-learn's bootstrap refits once per resample;
# SK_BOOT (default 5) of them are timed and the time for 1000 extrapolated
# (SK_BOOT=1000 runs them all: about an hour here).
#   GOLDSET=./goldset sh tests/bench/rank.sh      (N=, K= change the size)
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
N=${N:-300000}
K=${K:-50}
SK_BOOT=${SK_BOOT:-5}

# the data: strengths ~ N(0, 0.8^2), pairs uniform, ties 10%, else Bradley–Terry
$PY - "$N" "$K" "$B/pairs.csv" <<'PYGEN'
import sys, numpy as np
n, k, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(20261122)
theta = rng.normal(0, 0.8, k)
a = rng.integers(0, k, n)
b = (a + rng.integers(1, k, n)) % k
p = 1 / (1 + np.exp(theta[b] - theta[a]))
u = rng.random(n)
tie = rng.random(n) < 0.10
names = np.array([f"model-{i:02d}" for i in range(k)])
win = np.where(tie, "tie", np.where(u < p, names[a], names[b]))
left = np.where(rng.random(n) < 0.5, names[a], names[b])
with open(path, "w") as f:
    f.write("a,b,winner,left\n")
    for row in zip(names[a], names[b], win, left):
        f.write(",".join(row) + "\n")
PYGEN

cat > "$B/sk.py" <<'PYSK'
# the scikit-learn way (Chatbot Arena notebook): ties as two half-weight rows
import sys, json, numpy as np, pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv(sys.argv[1])
boot = int(sys.argv[2])
names = sorted(set(df["a"]) | set(df["b"]))
idx = {s: i for i, s in enumerate(names)}

def fit(d):
    n, k = len(d), len(names)
    ai, bi = d["a"].map(idx).to_numpy(), d["b"].map(idx).to_numpy()
    tie = (d["winner"] == "tie").to_numpy()
    awin = (d["winner"] == d["a"]).to_numpy()
    X = np.zeros((n, k))
    X[np.arange(n), ai] = 1.0
    X[np.arange(n), bi] = -1.0
    X = np.vstack([X, X[tie]])
    y = np.concatenate([awin | tie, np.zeros(tie.sum(), bool)]).astype(int)
    w = np.concatenate([np.where(tie, 0.5, 1.0), np.full(tie.sum(), 0.5)])
    lr = LogisticRegression(fit_intercept=False, C=1e6, tol=1e-6, max_iter=1000)
    lr.fit(X, y, sample_weight=w)
    return lr.coef_[0] - lr.coef_[0].mean()

theta = fit(df)
rng = np.random.default_rng(1)
samples = [fit(df.sample(frac=1.0, replace=True, random_state=rng.integers(1 << 31))) for _ in range(boot)]
json.dump({s: float(theta[i]) for i, s in enumerate(names)}, sys.stdout)
PYSK

measure gs "$GS" rank --pairs "$B/pairs.csv" --json --bootstrap 0
cp "$B/out" "$B/gs.json"
measure sk $PY "$B/sk.py" "$B/pairs.csv" 0
cp "$B/out" "$B/sk.json"
diff=$($PY -c 'import json,sys
g = {s["name"]: s["score"] for s in json.load(open(sys.argv[1]))["systems"]}
k = json.load(open(sys.argv[2]))
print("%.2g" % max(abs(g[s] - k[s]) for s in k))' "$B/gs.json" "$B/sk.json")
echo "fit $K systems from $N comparisons, no bootstrap:"
echo "  goldset ${gs_s}s ${gs_kb} KB; scikit-learn ${sk_s}s ${sk_kb} KB; speed ratio $(ratio "$sk_s" "$gs_s")x (goal >= 10)"
echo "  largest score difference goldset vs scikit-learn: $diff"

measure g100 "$GS" rank --pairs "$B/pairs.csv" --json --bootstrap 100
measure g500 "$GS" rank --pairs "$B/pairs.csv" --json --bootstrap 500
measure g1000 "$GS" rank --pairs "$B/pairs.csv" --json --bootstrap 1000
per() { awk -v t="$1" -v z="$gs_s" -v r="$2" 'BEGIN { printf "%.2f", (t - z) * 1000 / r }'; }
echo "goldset bootstrap: 100 ${g100_s}s, 500 ${g500_s}s, 1000 ${g1000_s}s;" \
  "ms per resample $(per "$g100_s" 100), $(per "$g500_s" 500), $(per "$g1000_s" 1000) (flat = linear);" \
  "peak ${g1000_kb} KB at 1000"

measure skb $PY "$B/sk.py" "$B/pairs.csv" "$SK_BOOT"
sk1000=$(awk -v t="$skb_s" -v z="$sk_s" -v r="$SK_BOOT" 'BEGIN { printf "%.1f", z + (t - z) * 1000 / r }')
echo "with 1000 resamples: goldset ${g1000_s}s; scikit-learn ${sk1000}s" \
  "(measured ${skb_s}s for $SK_BOOT resamples, extrapolated); speed ratio $(ratio "$sk1000" "$g1000_s")x (goal >= 10)"
