import { LAST_ACTIVITY_TAG } from '../../lib/handlers/auto-shutdown/contract';

/**
 * The on-start script of the notebook lifecycle config that {@link AutoShutdown} installs.
 *
 * It installs a cron job that, every five minutes, asks the local Jupyter server for its sessions
 * and terminals and records the latest kernel or terminal activity (now, while a kernel is busy)
 * as the `auto-shutdown:last-activity` tag of the notebook instance, an ISO 8601 UTC time. The tag
 * is written only when it changes. At start it records the start time, so an instance nobody opens
 * becomes idle from its start. The notebook's execution role needs `sagemaker:AddTags` on its own
 * instance for that tag key only: `AutoShutdown.grantActivityReporting(role)`.
 */
export function idleCheckScript(): string {
  return `#!/bin/bash
# compliant-mlops auto-shutdown: records the last Jupyter activity as the ${LAST_ACTIVITY_TAG} tag.
set -euo pipefail
mkdir -p /var/lib/auto-shutdown
cat > /usr/local/bin/auto-shutdown-activity.py <<'PY'
import datetime, json, os, ssl, subprocess, sys, urllib.request

STATE = "/var/lib/auto-shutdown/last-activity"
TAG = "${LAST_ACTIVITY_TAG}"


def now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def parse(ts):
    return datetime.datetime.fromisoformat(ts.replace("Z", "+00:00")).replace(microsecond=0)


def get(path):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # the local Jupyter server's self-signed certificate
    with urllib.request.urlopen("https://localhost:8443" + path, context=ctx, timeout=10) as r:
        return json.loads(r.read().decode())


def latest_activity():
    stamps = []
    for s in get("/api/sessions"):
        k = s.get("kernel") or {}
        if k.get("execution_state") == "busy":
            return now()
        if k.get("last_activity"):
            stamps.append(parse(k["last_activity"]))
    for t in get("/api/terminals"):
        if t.get("last_activity"):
            stamps.append(parse(t["last_activity"]))
    return max(stamps) if stamps else None


def main():
    previous = open(STATE).read().strip() if os.path.exists(STATE) else ""
    if "--start" in sys.argv:
        last = now()
    else:
        found = latest_activity()
        last = found if found and (not previous or found > parse(previous)) else (parse(previous) if previous else now())
    value = last.strftime("%Y-%m-%dT%H:%M:%SZ")
    if value == previous:
        return
    arn = json.load(open("/opt/ml/metadata/resource-metadata.json"))["ResourceArn"]
    region = arn.split(":")[3]
    subprocess.run(["aws", "sagemaker", "add-tags", "--region", region, "--resource-arn", arn,
                    "--tags", "Key=%s,Value=%s" % (TAG, value)], check=True)
    with open(STATE, "w") as f:
        f.write(value)


main()
PY
echo "*/5 * * * * root /usr/bin/python3 /usr/local/bin/auto-shutdown-activity.py >> /var/log/auto-shutdown-activity.log 2>&1" > /etc/cron.d/auto-shutdown-activity
/usr/bin/python3 /usr/local/bin/auto-shutdown-activity.py --start || echo "auto-shutdown: could not record the start (the execution role needs sagemaker:AddTags)"
`;
}
