from django.db import models


class Kind(models.TextChoices):
    POLICY = "policy", "정책 / policy"
    PROGRAMME = "programme", "사업 / programme"
    PROJECT = "project", "프로젝트 / project"
    ORDINANCE = "ordinance", "조례 / ordinance"
    PLAN = "plan", "계획 / plan"
    EDUCATION = "education", "교육 / education"
    CAMPAIGN = "campaign", "캠페인 / campaign"
    EVENT = "event", "행사 / event"


class Status(models.TextChoices):
    PLANNED = "planned", "계획 / planned"
    ONGOING = "ongoing", "추진 중 / ongoing"
    COMPLETED = "completed", "완료 / completed"
    SUSPENDED = "suspended", "중단 / suspended"


# Leave-no-one-behind groups (reference list, loaded by migration into PopulationGroup).
GROUPS = [
    ("women", "여성", "Women"),
    ("children_youth", "아동·청소년", "Children and youth"),
    ("older_people", "노인", "Older people"),
    ("disabilities", "장애인", "Persons with disabilities"),
    ("migrants", "이주민·다문화가족", "Migrants and multicultural families"),
    ("low_income", "저소득층", "Low-income households"),
    ("single_parent", "한부모가족", "Single-parent families"),
    ("rural", "농어촌 주민", "Rural residents"),
    ("unemployed", "실업자·구직자", "Unemployed and job seekers"),
    ("homeless", "노숙인·주거취약계층", "Homeless and housing-insecure people"),
]
