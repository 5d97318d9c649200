/**
 * The validation issues the library writes itself (refinements, custom checks, readers), in
 * Simplified Chinese: gettext-style, each English text (with `$1`, `$2`… where it shows a value)
 * maps to its Chinese wording, the values carried over. zod's own issues are written from their
 * data (see `renderMessage`), never through zod's global configuration. A test scans the sources
 * and fails on any issue text of the library missing here.
 */
import { storableText } from './foreign.js';

/** English issue text → Chinese, `$n` standing for the n-th value. */
const ZH_CN: ReadonlyArray<readonly [string, string]> = [
  ["an approved quote is signed at every level it required: $1 is missing", "已批准的报价单须有其所需每个审批级别的签署：缺少 $1"],
  ["a $1 quote records that decision", "状态为 $1 的报价单须记录该审批结论"],
  ["a revision is at most the version: each revision is a new version", "修订号不能大于版本号：每次修订都是一个新版本"],
  ["expected an AbortSignal", "应为中止信号对象（AbortSignal）"],
  ["expected a message template (a string or a function of the details)", "应为消息模板（字符串，或由详情生成消息的函数）"],
  ["expected a schema name: $1", "应为结构名称：$1"],
  ["expected a locale: en or zh-CN", "应为语言：en 或 zh-CN"],
  ["$1 has $2 decimal$3, the amount has $4: it is never rounded silently", "$1 有 $2 位小数，该金额有 $4 位：金额从不静默舍入"],
  ["$1 has $2 decimal$3, the amount has $4: round it with a named mode first, it is never rounded silently", "$1 有 $2 位小数，该金额有 $4 位：请先按指定的舍入方式舍入，金额从不静默舍入"],
  ["$1 in $2 is bounded by an instant outside 0001-01-01 … 9999-12-31 (UTC), the range the library supports", "$2 中的 $1 以超出支持范围（协调世界时 0001-01-01 至 9999-12-31）的时刻为界"],
  ["$1 needs the tenant's payment policy (at least its zone)", "$1 需要租户的回款策略（至少包括时区）"],
  ["$1 stays with the CRM admin ($2): a policy cannot change it", "$1 只能由系统管理员执行（$2），策略不能更改"],
  ["Unknown IANA time zone", "未知的时区名称"],
  ["a $1 lead has no invalidation record", "$1 状态的线索不应有无效记录"],
  ["a $1 lead must have an owner", "$1 状态的线索必须有负责人"],
  ["a $1 plan gives the record to someone", "$1 计划必须把记录交给某人"],
  ["a $1 plan leaves the record without an owner", "$1 计划之后记录不应有负责人"],
  ["a band gives either a price or a percentOff", "每个区间要么给出价格，要么给出折扣百分比，不能两者都有"],
  ["a batch applies by an automatic strategy, not explicit applications", "批量核销按自动策略进行，不接受逐笔指定的核销明细"],
  ["a batch applies what each payment has unapplied; cap one payment with allocatePayment", "批量核销会用掉每笔回款的全部未核销金额；如需限额，请对单笔回款单独核销"],
  ["a converted lead is at stage \"opportunity\" exactly when an opportunity was created", "已转换的线索当且仅当已创建商机时处于商机阶段"],
  ["a following lead has a last follow-up time", "跟进中的线索必须有最后跟进时间"],
  ["a getter is not data (it is not called)", "取值函数不是数据（不会被调用）"],
  ["a key or indexed field holds at most $1 characters, not $2", "键或索引字段最多 $1 个字符，当前为 $2 个"],
  ["a lead nobody owns has no re-follow-up date", "没有负责人的线索不应有再次跟进日期"],
  ["a line id: $1", "明细编号：$1"],
  ["a logged event happens at a Date between 0001-01-01 and 9999-12-31", "日志事件的时间必须在 0001-01-01 至 9999-12-31 之间"],
  ["a negative quantity or price (a credit line) is not supported: give a trade-in or a goodwill credit as an order discount (an amount), a return as a credit note", "不支持负数量或负价格的明细：以旧换新或让利请用整单折扣（金额），退货请开红字单据"],
  ["a pending quote, and only a pending one, waits on a level", "只有审批中的报价单才有待审批级别"],
  ["a percentage must be greater than zero", "百分比必须大于零"],
  ["a plan is either by percentages or by amounts, not both", "回款计划要么按百分比，要么按金额，不能混用"],
  ["a plan names the pool the record ends in", "计划必须指明记录最终所在的公海/线索池"],
  ["a refund must be greater than zero", "退款金额必须大于零"],
  ["a reversed payment has no applications", "已冲销的回款不应有核销明细"],
  ["a reversed payment records its reversal", "已冲销的回款必须记录冲销信息"],
  ["a scored group takes a threshold, not atLeast or minAgreeing", "计分规则组使用阈值，不使用最少满足条件数"],
  ["a share must be greater than zero", "分配份额必须大于零"],
  ["a symbol key is not a code", "符号键不是错误码"],
  ["a symbol key is not data", "符号键不是数据"],
  ["a trusted input broke its promise: an amount came out that is not a safe integer ≥ 0 (run it without trusted to see where)", "声明为可信的输入不符合约定：出现了不是非负安全整数的金额（关闭可信模式运行可查看位置）"],
  ["a trusted input could not be allocated: an element is not a number", "声明为可信的输入无法核销：有元素不是数字"],
  ["a trusted record must still carry ids: its id, owner, team and warning rule id", "声明为可信的记录仍须带有编号：记录、负责人、团队和提醒规则的编号"],
  ["a version is at most $1", "版本号最大为 $1"],
  ["a weight in $1 cannot split an amount in $2", "以 $1 计的权重不能拆分以 $2 计的金额"],
  ["a weight must not be negative", "权重不能为负"],
  ["all $1 weights are zero: there is nothing to split $2 $3 by", "全部 $1 个权重均为零，无法拆分 $2 $3"],
  ["amounts in $1 cannot be combined ($2); convert them to one currency first", "$1 的金额不能合并计算（$2），请先换算为同一币种"],
  ["an application of payment $1 names $2", "回款 $1 的核销明细指向了 $2"],
  ["an empty list of amounts needs the currency of its zero sum", "空的金额列表需要指定合计为零时的币种"],
  ["an installment amount must be greater than zero", "期次金额必须大于零"],
  ["an invalid lead records why it was invalidated", "无效线索必须记录无效原因"],
  ["an opportunity amount is at most 2^53 − 1 minor units", "商机金额最多为 2^53 − 1 个最小货币单位"],
  ["an opportunity amount is not negative", "商机金额不能为负"],
  ["an unassigned lead has no owner", "未分配的线索不应有负责人"],
  ["an unassigned lead must be in a pool", "未分配的线索必须在某个线索池中"],
  ["and $1 more issues", "另有 $1 个问题"],
  ["answered ok without running the work it was given", "未执行交给它的操作却返回了成功"],
  ["applications and refunds ($1 minor units) exceed the amount received ($2)", "核销与退款合计（$1 个最小货币单位）超过了实收金额（$2）"],
  ["applications are kept oldest first (increasing seq)", "核销明细须按时间先后排列（序号递增）"],
  ["at most $1 line discounts", "最多 $1 条明细折扣"],
  ["auditing every tenant needs a role that row-level security does not confine (a superuser or BYPASSRLS): pass tenantId to audit one tenant", "检查全部租户需要不受行级安全限制的数据库角色（超级用户或具有绕过行级安全权限）；如只检查一个租户，请指定租户编号"],
  ["bands ascend: each from is above the one before", "区间须递增：每个区间的起点都要大于前一个"],
  ["beyond the required levels", "超出了所需的审批级别"],
  ["bucket bounds must increase", "账龄分段的边界必须递增"],
  ["closedAt must lie between createdAt and updatedAt", "结束时间必须在创建时间与最后修改时间之间"],
  ["commit", "提交"],
  ["division by zero", "不能除以零"],
  ["duplicate id \"$1\"", "编号“$1”重复"],
  ["duplicate line id $1", "明细编号 $1 重复"],
  ["duplicate record id $1 in this run", "本次运行中记录编号 $1 重复"],
  ["each stage at most once", "每个阶段最多出现一次"],
  ["expected $1, the start of $2 in $3", "应为 $1，即 $3 时区中 $2 的开始"],
  ["expected $1, the start of the day after $2 in $3", "应为 $1，即 $3 时区中 $2 次日的开始"],
  ["expected a ClaimGate (check)", "应为领取闸口对象（需有 check 方法）"],
  ["expected a Decimal (parse it with parseDecimal)", "应为小数对象（请先用 parseDecimal 解析）"],
  ["expected a Decimal or an amount", "应为小数对象或金额"],
  ["expected a DedupeStore with findCandidates(keys)", "应为查重存储对象（需有 findCandidates 方法）"],
  ["expected a Map of key → count of records", "应为从键到记录数的映射表"],
  ["expected a PaymentStore", "应为回款存储对象"],
  ["expected a PoolStore ($1)", "应为公海/线索池存储对象（需有这些方法：$1）"],
  ["expected a Result", "应为结果对象"],
  ["expected a SqlClient (from fromPg or fromPGlite): an object with query and transaction methods", "应为数据库客户端（由 fromPg 或 fromPGlite 创建），需有 query 和 transaction 方法"],
  ["expected a calendar date YYYY-MM-DD", "应为日历日期（年-月-日，如 2026-03-01）"],
  ["is a mistyped unified social credit code: its check character does not match", "是输错的统一社会信用代码：校验位不符"],
  ["is not a normalized tax id (upper-case letters and digits only)", "不是规范形式的税号（只能是大写字母和数字）"],
  ["channel ids must be unique", "线索来源 id 不能重复"],
  ["expected a CustomerCheck (find)", "应为客户查重对象（需有 find 方法）"],
  ["expected a DedupeService (check)", "应为查重服务对象（需有 check 方法）"],
  ["expected who acts: actor { id }", "应给出操作人：actor（含编号 id）"],
  ["names another actor than actor.id", "与 actor.id 指的不是同一个操作人"],
  ["the hooks are given in the context already (signal, onProgress): give them once", "上下文中已给出任务钩子（signal、onProgress），只能给一次"],
  ["is not the context's actor: the one who decides is the one who acts", "不是上下文中的操作人：作出决定的必须是执行操作的人"],
  ["expected a context { now, actor, policy? }", "应为上下文对象（含当前时间、操作人，可选策略）"],
  ["expected a count of records: a whole number ≥ 0", "应为记录数：不小于 0 的整数"],
  ["expected a decimal string such as \"1234.56\" or \"-0.05\", got $1", "应为小数字符串（如“1234.56”或“-0.05”），实际为 $1"],
  ["expected a decimal: a string such as \"0.125\", an integer, a bigint or { units, scale }", "应为小数：字符串（如“0.125”）、整数、大整数或由整数值和小数位数组成的对象"],
  ["expected a finite decimal, got $1", "应为有限的小数，实际为 $1"],
  ["expected a function", "应为函数"],
  ["expected a list of amounts", "应为金额列表"],
  ["expected a list of migrations: { id, sql } with non-empty text ids and text SQL (no NUL, no lone surrogate)", "应为迁移列表：每项含非空的文本编号和文本语句（不含空字符或孤立代理项）"],
  ["expected a message of at most $1 characters with no NUL and no lone surrogate", "应为最多 $1 个字符的消息，不含空字符或孤立代理项"],
  ["expected a message template (a string)", "应为消息模板（字符串）"],
  ["expected a non-empty list of weights", "应为非空的权重列表"],
  ["expected a number > 0", "应为大于 0 的数"],
  ["expected a number ≥ 0", "应为不小于 0 的数"],
  ["expected a percentage from 0 to 100", "应为 0 到 100 之间的百分比"],
  ["expected a positive whole number of minor units (e.g. 5 for 0.05 CHF)", "应为正整数个最小货币单位（如 0.05 瑞士法郎为 5）"],
  ["expected a positive whole number of minor units, got $1", "应为正整数个最小货币单位，实际为 $1"],
  ["expected a rounding mode ($1) or a policy from parseRounding, got $2", "应为舍入方式（$1）或由 parseRounding 得到的舍入策略，实际为 $2"],
  ["expected a safe integer or a bigint", "应为安全整数或大整数"],
  ["expected a safe integer ≥ 0", "应为不小于 0 的安全整数"],
  ["expected a shipped locale ($1) or a catalog", "应为内置语言（$1）或消息目录"],
  ["expected a shipped locale or a catalog of message templates", "应为内置语言或消息模板目录"],
  ["expected a template of at most $1 characters with no NUL and no lone surrogate", "应为最多 $1 个字符的模板，不含空字符或孤立代理项"],
  ["expected a tenant id: 1–200 characters, no NUL, no lone surrogate", "应为租户编号：1 至 200 个字符，不含空字符或孤立代理项"],
  ["expected a valid Date, got an Invalid Date", "应为有效日期，实际为无效日期"],
  ["expected a whole number", "应为整数"],
  ["expected a whole number from 1 to 1,000,000", "应为 1 到 1,000,000 之间的整数"],
  ["expected a whole number from 1 to 10,000", "应为 1 到 10,000 之间的整数"],
  ["expected a whole number of decimals from 0 to $1", "小数位数应为 0 到 $1 之间的整数"],
  ["expected a whole number of minor units: a safe integer, a bigint or an integer string", "应为整数个最小货币单位：安全整数、大整数或整数字符串"],
  ["expected a whole number of parts from 1 to 100000", "份数应为 1 到 100000 之间的整数"],
  ["expected a whole number of retries from 0 to 100", "重试次数应为 0 到 100 之间的整数"],
  ["expected amounts by currency, such as { CNY: \"1.00\" }", "应为按币种列出的金额（如人民币“1.00”）"],
  ["expected an ISO 4217 currency code such as \"CNY\"", "应为三位字母货币代码（如 CNY）"],
  ["expected an ISO 4217 currency code such as \"CNY\", \"USD\" or \"JPY\"", "应为三位字母货币代码（如 CNY、USD、JPY）"],
  ["expected an ISO 4217 currency code such as \"CNY\", got $1", "应为三位字母货币代码（如 CNY），实际为 $1"],
  ["expected an ISO 4217 currency code, got $1", "应为三位字母货币代码，实际为 $1"],
  ["expected an amount (parse it with parseMoney)", "应为金额（请先用 parseMoney 解析）"],
  ["expected an amount in $1, not $2", "应为以 $1 计的金额，而不是 $2"],
  ["expected an amount ≥ 0 such as \"1.00\" in that currency", "应为该币种下不小于 0 的金额（如“1.00”）"],
  ["expected an array of numbers, an Int32Array or a Float64Array", "应为数字数组或整数、浮点类型化数组"],
  ["expected an array of payment plans", "应为回款计划数组"],
  ["expected an array of payments", "应为回款数组"],
  ["expected an array of records", "应为记录数组"],
  ["expected an async iterable of plans", "应为可异步遍历的回款计划序列"],
  ["expected an error code of the library (see ALL_ERROR_CODES)", "应为本库的错误码（见 ALL_ERROR_CODES）"],
  ["expected an instant from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z (UTC)", "应为协调世界时 0001-01-01 00:00:00 至 9999-12-31 23:59:59.999 之间的时刻"],
  ["expected an instant: a Date or an ISO 8601 string with a zone offset (Z or +08:00)", "应为时刻：日期对象，或带时区偏移（如 +08:00）的标准日期时间字符串"],
  ["expected an integer string such as \"5\" (at most 60 digits)", "应为整数字符串（如“5”，最多 60 位）"],
  ["expected an iterable (an array, a Set, a generator)", "应为可遍历的序列（数组、集合或生成器）"],
  ["expected an iterable or an async iterable of $1", "应为可遍历或可异步遍历的 $1 序列"],
  ["expected an object", "应为对象"],
  ["expected an object or a Map from line id to a line discount (or null)", "应为从明细编号到明细折扣（或空值）的对象或映射表"],
  ["expected at least one amount", "至少需要一个金额"],
  ["expected at most $1 characters", "最多 $1 个字符"],
  ["expected one of $1, got $2", "应为以下之一：$1，实际为 $2"],
  ["expected rule sets by object", "应为按对象类型给出的查重规则"],
  ["expected the details as a plain object", "详情应为普通对象"],
  ["expected the payment's currency $1", "应为回款的币种 $1"],
  ["expected the plan's currency $1", "应为回款计划的币种 $1"],
  ["expected the service dependencies ({ store, … })", "应为服务依赖对象（含存储等）"],
  ["expected the store's $1 method", "存储对象缺少 $1 方法"],
  ["expected { currency, amount } (a decimal string) or { currency, minor } (minor units)", "应为含币种和金额（小数字符串）或币种和最小货币单位数的对象"],
  ["expected { store, policy?, messages?, conflictRetries? }", "应为含存储、可选策略、消息目录和冲突重试次数的对象"],
  ["expected { tenantId?, pageSize?, maxFindings? }", "应为含可选租户编号、每页条数和最多发现数的对象"],
  ["field \"$1\" is read as $2 elsewhere in the rule set: one field, one kind", "字段“$1”在规则集的其他地方按 $2 读取：同一字段只能有一种类型"],
  ["followUpCount is 0 exactly when there is no last follow-up", "跟进次数为 0 当且仅当没有最后跟进时间"],
  ["give exactly one of amount (a decimal string such as \"1234.56\") or minor (minor units)", "金额（小数字符串，如“1234.56”）与最小货币单位数只能且必须给出一个"],
  ["give exactly one of percent, amount or balance: true", "百分比、金额、尾款三者只能且必须给出一个"],
  ["group $1 after group $2: a group's installments must be together and groups ascending", "分组 $1 排在分组 $2 之后：同组期次须相邻，且分组须递增"],
  ["has $1 entries, $2.group has $3: one entry per $4 in each", "有 $1 项，而 $2 的分组有 $3 项：两者须一一对应"],
  ["id $1 appears twice in the $2 list", "编号 $1 在 $2 列表中出现了两次"],
  ["idFor gave the same opportunity id to two orders", "编号生成函数为两个订单生成了相同的商机编号"],
  ["in a scored group a blank adds nothing: blank must stay noMatch", "计分规则组中空值不计分：空值处理只能为不匹配"],
  ["installment $1 of plan $2 is listed twice", "回款计划 $2 的期次 $1 出现了两次"],
  ["installment $1 shows $2 $3 minor units, less than application $4 of payment $5 ($6): the plan and the payment disagree", "期次 $1 的 $2 为 $3 个最小货币单位，少于回款 $5 第 $4 笔核销（$6）：回款计划与回款不一致"],
  ["installment id $1 appears twice", "期次编号 $1 重复"],
  ["lead id \"$1\" appears more than once", "线索编号“$1”出现了不止一次"],
  ["level ids are unique", "审批级别编号不能重复"],
  ["listed twice", "重复列出"],
  ["m and u weigh conditions of scored groups only", "匹配概率与偶然一致概率只用于计分规则组的条件"],
  ["m must be above u: agreeing must be evidence for a duplicate", "匹配概率必须大于偶然一致概率：一致才能作为重复的证据"],
  ["must be greater than zero", "必须大于零"],
  ["must not be blank", "不能为空"],
  ["must not contain a NUL character (U+0000) or a lone surrogate: such text cannot be stored (PostgreSQL, UTF-8)", "不能包含空字符或孤立代理项：这样的文本无法存储"],
  ["no agreement reaches this threshold: the group could never hold", "没有任何一致组合能达到该阈值：此规则组永远不会成立"],
  ["no line $1 on quote $2", "报价单 $2 上没有明细 $1"],
  ["not a lead operation", "不是线索操作"],
  ["not an opportunity operation", "不是商机操作"],
  ["only a reversed payment has a reversal", "只有已冲销的回款才有冲销信息"],
  ["only the last installment may be the balance", "只有最后一期可以是尾款"],
  ["ownedSince is set exactly when the lead has an owner", "领取时间当且仅当线索有负责人时才有值"],
  ["payment $1 is listed twice", "回款 $1 出现了两次"],
  ["payments handle amounts up to 2^53 − 1 minor units", "回款金额最多为 2^53 − 1 个最小货币单位"],
  ["plan $1 is listed twice", "回款计划 $1 出现了两次"],
  ["reclaim rule ids must be unique", "收回规则编号不能重复"],
  ["reminder rule ids must be unique", "提醒规则编号不能重复"],
  ["return reason codes must be unique", "退回原因代码不能重复"],
  ["seq $1 appears twice", "序号 $1 重复"],
  ["seq $1 is beyond lastSeq $2", "序号 $1 超出了最后序号 $2"],
  ["settled $1 minor units of an installment of $2: never beyond what it owes", "对 $2 的期次核销了 $1 个最小货币单位：核销不能超过应收"],
  ["share id $1 appears twice", "份额编号 $1 重复"],
  ["stage \"$1\" does not fit status \"$2\" (allowed: $3)", "阶段“$1”与状态“$2”不符（可用：$3）"],
  ["stage ids must be unique", "阶段编号不能重复"],
  ["terminating connection due to administrator command", "管理员命令终止了数据库连接"],
  ["the $1 could not be read", "无法读取 $1"],
  ["the $1 is the last one a number holds exactly: no step can follow it", "该 $1 已是数字能精确表示的最后一个值，之后无法再有档位"],
  ["the amount could not be read", "无法读取金额"],
  ["the amount is beyond 2^53 minor units, which payments do not handle", "金额超过 2^53 个最小货币单位，回款无法处理"],
  ["the database has no crm_migrations table: run migrate(client) first", "数据库尚未初始化：请先运行 migrate(client)"],
  ["the database is not migrated to 003_tenants: run migrate(client) first", "数据库未迁移到租户版本：请先运行 migrate(client)"],
  ["the dependencies could not be read", "无法读取服务依赖"],
  ["the due date $1 is outside the years 1900–9999", "到期日 $1 不在 1900 至 9999 年之间"],
  ["the first band starts at 0", "第一个区间必须从 0 开始"],
  ["the input could not be read", "无法读取输入"],
  ["the input could not be read ($1)", "无法读取输入（$1）"],
  ["the installments sum to $1 minor units, not the total $2", "各期合计为 $1 个最小货币单位，不等于总额 $2"],
  ["the list of amounts could not be read", "无法读取金额列表"],
  ["the name __proto__ cannot be used", "不能使用 __proto__ 作为名称"],
  ["the plan is for record $1, not $2", "该计划针对记录 $1，而不是 $2"],
  ["the plan is order $1's, the credit note credits order $2", "回款计划属于订单 $1，而红字回款冲抵的是订单 $2"],
  ["the record could not be read: $1", "无法读取记录：$1"],
  ["the rounding could not be read", "无法读取舍入方式"],
  ["the store returned payment $1 for $2", "存储对象在查询 $2 时返回了回款 $1"],
  ["the store returned plan $1 for $2", "存储对象在查询 $2 时返回了回款计划 $1"],
  ["the value could not be read", "无法读取该值"],
  ["the weights could not be read", "无法读取权重"],
  ["this k-of-n group needs more than $1 key combinations; raise atLeast or minAgreeing, or split the group", "此规则组需要超过 $1 种键组合：请提高最少满足条件数，或拆分规则组"],
  ["this scored group needs more than $1 key combinations; raise the threshold or split the group", "此计分规则组需要超过 $1 种键组合：请提高阈值，或拆分规则组"],
  ["unknown level $1", "未知的审批级别 $1"],
  ["unrecognized keys: $1", "含有未知字段：$1"],
  ["unwrap: expected a Result ({ ok: true, value } or { ok: false, error })", "应为结果对象（成功时含值，失败时含错误）"],
  ["updatedAt is before createdAt", "最后修改时间早于创建时间"],
  ["weightedRandom needs a seed (an integer)", "加权随机分配需要一个整数随机种子"],
  ["won holdings cannot exceed the total", "赢单保有量不能超过总保有量"],
];

interface Pattern {
  readonly re: RegExp;
  readonly zh: string;
}

let exact: Map<string, string> | undefined;
let patterns: Pattern[] | undefined;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(): void {
  exact = new Map();
  patterns = [];
  for (const [en, zh] of ZH_CN) {
    if (!/\$\d/.test(en)) exact.set(en, zh);
    else patterns.push({ re: new RegExp(`^${escape(en).replace(/\\\$(\d)/g, '(?<v$1>[\\s\\S]*?)')}$`), zh });
  }
}

/**
 * The Chinese wording of an issue text the library wrote, or undefined for a text it does not
 * know (a host's own message, zod's). Never throws.
 *
 * @example
 * translateIssueText('must not be blank') // '不能为空'
 * translateIssueText('duplicate line id L-2') // '明细编号 L-2 重复'
 */
export function translateIssueText(english: string): string | undefined {
  if (typeof english !== 'string') return undefined;
  if (exact === undefined || patterns === undefined) compile();
  const hit = exact!.get(english);
  if (hit !== undefined) return hit;
  for (const p of patterns!) {
    const m = p.re.exec(english);
    if (m !== null) return storableText(p.zh.replace(/\$(\d)/g, (_, n: string) => m.groups?.[`v${n}`] ?? ''));
  }
  return undefined;
}

/** Every English issue text the table knows (for the coverage test). @internal */
export const ISSUE_TEXTS_EN: readonly string[] = Object.freeze(ZH_CN.map(([en]) => en));
