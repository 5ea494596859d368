"""The words of the handling reports, in Chinese and English."""

from __future__ import annotations

TEXT = {
    "zh": {
        "page": "第 {n} 页",
        "party_title": "《{plan}》意见处理情况专报——{party}",
        "summary_title": "《{plan}》书面意见征询处理情况说明",
        "date": "编制日期",
        "party_intro": "贵单位共提出意见 {n} 条，经逐条研究，采纳及部分采纳 {a} 条，采纳率 {rate}"
                       "（按采纳、部分采纳、未采纳计）。各条意见的处理情况、理由和修改依据如下。",
        "summary_intro": "本次征询共收到 {parties} 家单位意见 {n} 条，均已逐条研究答复；采纳及部分采纳"
                         " {a} 条，采纳率 {rate}（按采纳、部分采纳、未采纳计）。",
        "items": "逐条处理情况",
        "columns": ["序号", "意见（轮次、锚点、内容）", "处理意见", "理由与修改依据", "答复"],
        "group": "类别", "comments": "意见数", "rate": "采纳率", "total": "合计",
        "round": "第{n}轮", "clause": "条款", "feature": "图斑", "area": "划定区域",
        "changeset": "数据变更集", "revision": "文本修订", "memo": "会议纪要：",
        "pending": "待答复",
        "by_party_type": "按单位类型统计", "by_party": "按单位统计", "by_round": "按轮次统计",
        "by_deliverable": "按成果统计（1 总报告，S 系统行动，Z 板块行动）",
        "responses_title": "征询回复情况",
        "response_columns": ["轮次", "单位", "类型", "回复"],
        "responses": {"submitted": "已提意见", "no_comment": "无意见", "none": "未回复"},
        "signature_page": "会签页",
        "release": "发布版本摘要（SHA-256）",
        "unsigned": "本报告尚未对应已冻结的发布版本，会签栏待填。",
        "signature_columns": ["单位", "签署人", "密钥编号", "签署时间", "签名（摘录）"],
    },
    "en": {
        "page": "page {n}",
        "party_title": "{plan}: handling of the comments of {party}",
        "summary_title": "{plan}: handling of the written comments",
        "date": "Date",
        "party_intro": "Your organisation made {n} comments. Each was studied; {a} were adopted in "
                       "full or in part, an adoption rate of {rate} (over adopted, partially "
                       "adopted and not adopted). The handling, reasons and evidence follow.",
        "summary_intro": "{n} comments from {parties} parties were received and each was "
                         "answered; {a} were adopted in full or in part, an adoption rate of "
                         "{rate} (over adopted, partially adopted and not adopted).",
        "items": "Comment by comment",
        "columns": ["No.", "Comment (round, anchor, text)", "Disposition", "Reason and evidence",
                    "Answer"],
        "group": "Group", "comments": "Comments", "rate": "Rate", "total": "Total",
        "round": "round {n}", "clause": "clause", "feature": "feature", "area": "drawn area",
        "changeset": "change set", "revision": "text revision", "memo": "meeting memo: ",
        "pending": "pending",
        "by_party_type": "By party type", "by_party": "By party", "by_round": "By round",
        "by_deliverable": "By deliverable (1 vision report, S system actions, Z spatial sections)",
        "responses_title": "Responses to the invitations",
        "response_columns": ["Round", "Party", "Type", "Response"],
        "responses": {"submitted": "comments", "no_comment": "no comment", "none": "none"},
        "signature_page": "Signature page (会签)",
        "release": "Release hash (SHA-256)",
        "unsigned": "This report is not yet tied to a frozen release; signatures pending.",
        "signature_columns": ["Party", "Signatory", "Key id", "Signed at", "Signature (excerpt)"],
    },
}
