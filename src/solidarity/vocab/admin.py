from django.contrib import admin

from solidarity.vocab.models import Term, Vocabulary


@admin.register(Vocabulary)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["code", "title_en", "title_zh_hans", "version", "hierarchical"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["code", "vocabulary", "label_en", "label_zh_hans", "source", "deprecated"]
    list_filter = ["vocabulary", "deprecated"]
    search_fields = ["code", "label_en", "label_zh_hans", "label_es"]
    readonly_fields = ["vocabulary", "code", "parent", "path"]
    # Terms come from the data files; deleting one would strip old records of meaning.

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
