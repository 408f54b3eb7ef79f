import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { call, caseView, DEMO, form, hydrated, noViolations, pdf, registerPatient, signIn } from './helpers';

// A patient who reads Arabic goes from her first case to her report in Arabic, while the
// coordinator and the specialist work on the same case in English. Screenshots of her case page
// and of her PDF report (rendered with pdftoppm) are kept under test-results/arabic/.

const SHOTS = 'test-results/arabic';
const HISTORY = 'ضيق في التنفس عند المجهود منذ ثلاثة أشهر، وأتناول دواء Bisoprolol بجرعة 5 mg.';
const QUESTION = 'هل أحتاج إلى قسطرة قلبية، أم يكفي تعديل العلاج؟';
const SUMMARY = 'يتفق الطبيبان على أن القسطرة ليست عاجلة، ونوصي بإعادة الفحص بعد ثلاثة أشهر.';

/** What pdftotext reads, without the direction marks it adds and without spaces (it moves them
 * at the boundaries of right-to-left runs): the letters and their order. */
function letters(text: string): string {
  return text.replace(/[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
}

async function openCase(page: Page, caseId: string) {
  await page.goto(`/cases/${caseId}`);
  await hydrated(page);
}

test('a patient reading Arabic submits, pays and reads her report in Arabic while the staff work in English', async ({
  page,
  browser,
}) => {
  mkdirSync(SHOTS, { recursive: true });
  await registerPatient(page, 'Nour Khalil', `nour.${Date.now()}@example.com`, 'a long enough password');
  await hydrated(page);
  await page.getByTestId('language-switch').click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { name: 'حالاتي' })).toBeVisible();

  // Her case, typed in Arabic.
  await page.getByRole('button', { name: 'ابدأ حالة جديدة' }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]+\/edit$/);
  await hydrated(page);
  const reviewType = page.getByLabel('نوع المراجعة');
  const standard = await reviewType.locator('option', { hasText: 'Standard second opinion' }).getAttribute('value');
  await reviewType.selectOption(standard!);
  await page.getByLabel('التخصص الطبي').selectOption({ label: 'Cardiology' });
  await page.getByLabel('عمر المريض').fill('47');
  await page.getByLabel('الجنس').selectOption('female');
  await page.getByLabel('التاريخ المرضي').fill(HISTORY);
  await page.getByLabel('أسئلتك للأطباء المتخصصين').fill(QUESTION);
  await page.locator('#document-files').setInputFiles({ name: 'تقرير-القلب.pdf', mimeType: 'application/pdf', buffer: pdf('echo') });
  await expect(page.getByTestId('documents')).toContainText('تقرير-القلب.pdf');
  await page.getByRole('button', { name: 'إرسال للمراجعة' }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]+$/);
  const caseId = new URL(page.url()).pathname.split('/').pop()!;
  await expect(page.locator('.case-header .badge')).toHaveText('مُرسَلة');
  await expect(page.getByTestId('timeline')).toContainText('أُرسلت الحالة');

  // The admin, in English, assigns the coordinator.
  const admin = await browser.newPage();
  await signIn(admin, DEMO.admin);
  const forAdmin = await caseView(admin.request, caseId);
  const zofia = forAdmin.choices.find((c: { name: string }) => c.name === 'Zofia Wójcik');
  await call(admin.request, 'assign_coordinator', form([
    ['case_id', caseId],
    ['version', String(forAdmin.summary.version)],
    ['coordinator_id', zofia.id],
    ['change', 'false'],
  ]));

  // She pays from her case page; the timeline says so in Arabic, amounts and invoice included.
  await openCase(page, caseId);
  await expect(page.getByTestId('timeline')).toContainText('طُلب دفع مبلغ');
  await page.getByRole('link', { name: /^ادفع/ }).click();
  await hydrated(page);
  await page.getByTestId('test-checkout').getByRole('button', { name: /^ادفع/ }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${caseId}$`));
  await hydrated(page);
  await expect(page.getByTestId('timeline')).toContainText('استُلمت الدفعة');
  await expect(page.getByTestId('timeline')).toContainText('الفاتورة رقم');

  // The coordinator and the specialist work in English on the same case.
  const coordinator = await browser.newPage();
  await signIn(coordinator, DEMO.coordinator);
  const forCoordinator = await caseView(coordinator.request, caseId);
  const henrik = forCoordinator.choices.find((c: { name: string }) => c.name === 'Henrik Larsen');
  await call(coordinator.request, 'assign_specialists', form([
    ['case_id', caseId],
    ['version', String(forCoordinator.summary.version)],
    ['specialists[]', henrik.id],
  ]));
  const specialist = await browser.newPage();
  await signIn(specialist, DEMO.specialist);
  await call(specialist.request, 'write_opinion', form([
    ['case_id', caseId],
    ['intent', 'submit'],
    ['assessment', 'No sign of ischaemia on the stress test; the echo shows a mild diastolic dysfunction.'],
    ['recommendation', 'Keep bisoprolol, repeat the echocardiogram in three months.'],
    ['diagnosis', ''],
    ['treatment', ''],
  ]));
  await openCase(coordinator, caseId);
  await expect(coordinator.locator('html')).toHaveAttribute('lang', 'en');
  await expect(coordinator.getByTestId('timeline')).toContainText('Payment received');
  await expect(coordinator.getByTestId('timeline')).toContainText('By Dr Henrik Larsen');
  await coordinator.getByLabel('Summary for the patient').fill(SUMMARY);
  await coordinator.getByRole('button', { name: 'Complete the case' }).click();
  await expect(coordinator.getByTestId('timeline')).toContainText('The final report is ready.');

  // She reads the same events in Arabic, and her report.
  await openCase(page, caseId);
  await expect(page.locator('.case-header .badge')).toHaveText('مكتملة');
  await expect(page.getByTestId('timeline')).toContainText('التقرير النهائي جاهز.');
  await page.screenshot({ path: `${SHOTS}/case-page-ar.png`, fullPage: true });
  await noViolations(page, 'case-page-ar');
  await page.getByTestId('report-card').getByRole('link', { name: 'قراءة التقرير' }).click();
  await hydrated(page);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByTestId('report')).toContainText('تقرير الرأي الطبي الثاني');
  await expect(page.getByTestId('report-summary')).toHaveText(SUMMARY);
  await page.screenshot({ path: `${SHOTS}/report-page-ar.png`, fullPage: true });
  await noViolations(page, 'report-page-ar');

  // The PDF is written in Arabic, shaped, with its sentences in logical order.
  const response = await page.request.get(`/cases/${caseId}/report.pdf`);
  expect(response.status()).toBe(200);
  const file = `${SHOTS}/report-ar.pdf`;
  writeFileSync(file, await response.body());
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  for (const expected of ['تقرير الرأي الطبي الثاني', 'Nour Khalil', QUESTION, SUMMARY, 'Dr Henrik Larsen', 'Keep bisoprolol, repeat the echocardiogram in three months.']) {
    expect(letters(text), `${expected} in\n${text}`).toContain(letters(expected));
  }
  expect(execFileSync('pdffonts', [file], { encoding: 'utf8' })).toMatch(/NSAREG\+NotoSansArabic-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);
  execFileSync('pdftoppm', ['-r', '80', '-png', '-f', '1', '-l', '1', file, `${SHOTS}/report-ar-page`]);

  // The coordinator reads the same report page in English.
  await coordinator.goto(`/cases/${caseId}/report`);
  await hydrated(coordinator);
  await expect(coordinator.getByTestId('report')).toContainText('Second opinion report');
  await expect(coordinator.getByTestId('report-summary')).toHaveText(SUMMARY);
});
