import { CronExpressionParser } from 'cron-parser';
import { map, VerifyContext } from '../context';

/** job-bounds, cron-bounds. */
export function checkJobs(ctx: VerifyContext): void {
  for (const obj of ctx.objects) {
    if (obj?.kind === 'Job' && obj.apiVersion === 'batch/v1') {
      checkJobSpec(ctx, obj, obj.spec, true);
    } else if (obj?.kind === 'CronJob' && obj.apiVersion === 'batch/v1') {
      checkJobSpec(ctx, obj, obj.spec?.jobTemplate?.spec, false);
      checkCron(ctx, obj);
    }
  }
}

function checkJobSpec(ctx: VerifyContext, obj: any, spec: any, standalone: boolean): void {
  const missing = ['backoffLimit', 'activeDeadlineSeconds', ...(standalone ? ['ttlSecondsAfterFinished'] : [])]
    .filter(f => typeof spec?.[f] !== 'number');
  if (missing.length > 0) {
    ctx.add({ check: 'job-bounds', origin: 'KL', object: obj, message: `${standalone ? 'spec' : 'jobTemplate.spec'} lacks ${missing.join(', ')}; a failing job would retry, run or linger without bound` });
  }
  const restart = spec?.template?.spec?.restartPolicy;
  if (restart !== 'Never' && restart !== 'OnFailure') {
    ctx.add({ check: 'job-bounds', origin: 'KL', object: obj, message: `restartPolicy is ${restart ?? 'unset'}; set Never or OnFailure` });
  }
}

function checkCron(ctx: VerifyContext, obj: any): void {
  const spec = map(obj.spec);
  if (spec.concurrencyPolicy !== 'Forbid') {
    ctx.add({ check: 'cron-bounds', origin: 'KS', object: obj, message: `concurrencyPolicy is ${spec.concurrencyPolicy ?? 'Allow (default)'}; set Forbid so runs never overlap` });
  }
  const missing = ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'].filter(f => typeof spec[f] !== 'number');
  if (missing.length > 0) {
    ctx.add({ check: 'cron-bounds', origin: 'KS', object: obj, message: `CronJob lacks ${missing.join(', ')}` });
  }
  const schedule = spec.schedule;
  if (typeof schedule === 'string' && !schedule.trim().startsWith('@')) {
    const fields = schedule.trim().split(/\s+/);
    let problem: string | undefined = fields.length !== 5 ? `has ${fields.length} fields; a CronJob schedule has five (minute first)` : undefined;
    if (!problem) {
      try {
        CronExpressionParser.parse(schedule);
      } catch (e) {
        problem = `is not valid: ${(e as Error).message}`;
      }
    }
    if (problem) ctx.add({ check: 'cron-bounds', origin: 'KS', object: obj, message: `schedule "${schedule}" ${problem}` });
  }
}
